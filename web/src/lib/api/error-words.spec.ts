import { ApiError, formatError } from './api-error';
import { fieldLabel, fieldMessage, messageForPeople } from './error-words';

describe('fieldLabel', () => {
  it.each([
    ['data.title', 'Title'],
    ['input.title', 'Title'],
    ['title', 'Title'],
    ['input.tags.0', 'Tag 1'],
    ['data.tags.2', 'Tag 3'],
    ['input.budget.limitUsd', 'Budget limit usd'],
    ['assigneeAgentId', 'Assignee agent ID'],
    ['data', 'Data'],
    ['', 'Input'],
  ])('names %s as %s', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });
});

describe('fieldMessage', () => {
  it.each([
    ['Too small: expected string to have >=1 characters', 'must not be empty'],
    ['Too big: expected string to have <=40 characters', 'can have at most 40 characters'],
    ['Too big: expected array to have <=20 items', 'can have at most 20'],
    ['Too big: expected number to be <=100', 'must be at most 100'],
    ['Invalid option: expected one of "low"|"high"', 'is not one of the choices'],
    ['must not be empty', 'must not be empty'],
  ])('says %s as %s', (message, words) => {
    expect(fieldMessage(message)).toBe(words);
  });
});

describe('messageForPeople', () => {
  it('names each field of a validation message instead of its path', () => {
    expect(
      messageForPeople(
        'data.title: must not be empty; data.tags.0: Too big: expected string to have <=40 characters',
      ),
    ).toBe('Title: must not be empty; Tag 1: can have at most 40 characters');
    expect(messageForPeople('input.title must not be longer than 200 characters')).toBe(
      'Title: must not be longer than 200 characters',
    );
  });

  it('names the field of a bad GraphQL variable', () => {
    expect(
      messageForPeople(
        'Variable "$input" got invalid value "SOON" at "input.priority"; Value "SOON" does not exist in "MissionPriority" enum.',
      ),
    ).toBe('Priority: Value "SOON" does not exist in "MissionPriority" enum.');
  });

  it('leaves sentences that name no field as they are', () => {
    for (const sentence of [
      'Mission not found',
      'The mission moved meanwhile',
      'Budget exceeded: the workspace spent its monthly limit',
    ]) {
      expect(messageForPeople(sentence)).toBe(sentence);
    }
  });
});

describe('an API error as a person reads it', () => {
  it('lists the fields by name, once, with the request id kept for the details', () => {
    const shown = formatError(
      new ApiError('VALIDATION_ERROR', 'data.title: must not be empty', 'req-7', false, [
        { path: 'data.title', message: 'must not be empty' },
      ]),
    );
    expect(shown).toEqual({
      title: 'Please check what you entered',
      message: '',
      requestId: 'req-7',
      fields: [{ label: 'Title', message: 'must not be empty' }],
    });
    expect(JSON.stringify(shown)).not.toContain('data.');
  });

  it('keeps a message that says more than its fields', () => {
    const shown = formatError(
      new ApiError('CONFLICT', 'input.column: the mission moved meanwhile', 'req-8', false),
    );
    expect(shown.message).toBe('Column: the mission moved meanwhile');
  });
});
