import { AppError } from '@mission-control/errors';
import { assertNever, fold, type Decider } from './decider';
import { given } from './given-when-then';

// A tiny counter-like aggregate: a checklist that can be opened, ticked and closed.
type Command =
  | { type: 'OpenChecklist'; data: { items: string[] } }
  | { type: 'TickItem'; data: { item: string } }
  | { type: 'CloseChecklist'; data: Record<string, never> };
type Event =
  | { type: 'ChecklistOpened'; data: { items: string[] } }
  | { type: 'ItemTicked'; data: { item: string } }
  | { type: 'ChecklistClosed'; data: Record<string, never> };
type State = { status: 'none' | 'open' | 'closed'; pending: string[] };

const checklist: Decider<Command, Event, State> = {
  initialState: { status: 'none', pending: [] },
  decide(command, state) {
    switch (command.type) {
      case 'OpenChecklist':
        if (state.status !== 'none') {
          throw AppError.conflict('Checklist already exists');
        }
        return [{ type: 'ChecklistOpened', data: { items: command.data.items } }];
      case 'TickItem':
        if (!state.pending.includes(command.data.item)) {
          throw AppError.validation(`No pending item ${command.data.item}`);
        }
        return [{ type: 'ItemTicked', data: { item: command.data.item } }];
      case 'CloseChecklist':
        if (state.pending.length > 0) {
          throw AppError.conflict('Items are still pending');
        }
        return [{ type: 'ChecklistClosed', data: {} }];
      default:
        return assertNever(command, 'command');
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ChecklistOpened':
        return { status: 'open', pending: [...event.data.items] };
      case 'ItemTicked':
        return { ...state, pending: state.pending.filter((item) => item !== event.data.item) };
      case 'ChecklistClosed':
        return { ...state, status: 'closed' };
      default:
        return assertNever(event, 'event');
    }
  },
};

const opened: Event = { type: 'ChecklistOpened', data: { items: ['tests', 'docs'] } };

describe('decider helpers', () => {
  it('folds history into state', () => {
    expect(fold(checklist, [opened, { type: 'ItemTicked', data: { item: 'docs' } }])).toEqual({
      status: 'open',
      pending: ['tests'],
    });
  });

  it('given/when/then passes on the expected events', () => {
    given(checklist, [opened])
      .when({ type: 'TickItem', data: { item: 'tests' } })
      .then([{ type: 'ItemTicked', data: { item: 'tests' } }]);
  });

  it('given/when/then fails on different events', () => {
    expect(() =>
      given(checklist, [opened])
        .when({ type: 'TickItem', data: { item: 'tests' } })
        .then([{ type: 'ItemTicked', data: { item: 'docs' } }]),
    ).toThrow(/Unexpected events/);
  });

  it('given/when/thenThrows matches refusals by class, text or predicate', () => {
    const closing = given(checklist, [opened]).when({ type: 'CloseChecklist', data: {} });
    closing.thenThrows(AppError);
    closing.thenThrows('still pending');
    closing.thenThrows((error) => error instanceof AppError && error.code === 'CONFLICT');
    expect(() => closing.then([])).toThrow(/refused: AppError: Items are still pending/);
  });

  it('thenThrows fails when the command succeeds', () => {
    expect(() =>
      given(checklist)
        .when({ type: 'OpenChecklist', data: { items: [] } })
        .thenThrows(),
    ).toThrow(/Expected the command to be refused/);
  });

  it('assertNever reports the unhandled member', () => {
    expect(() => assertNever({ type: 'Mystery' } as never, 'command')).toThrow(
      'Unhandled command: {"type":"Mystery"}',
    );
  });
});
