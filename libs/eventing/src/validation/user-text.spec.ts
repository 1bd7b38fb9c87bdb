import { z } from 'zod';
import { validate } from '../decider/command';
import { multiLineText, singleLineText } from './user-text';

const title = singleLineText(z.string().trim().min(1).max(200));
const body = multiLineText(z.string().max(2_000));

describe('singleLineText', () => {
  it.each([
    ['plain text', 'Ship the gateway'],
    ['accents, emoji and scripts of every direction', 'Café ☕ — שלום مرحبا 你好 🚀'],
    ['a zero-width joiner inside an emoji', '👩‍🚀 crew'],
  ])('accepts %s', (_case, value) => {
    expect(title.parse(value)).toBe(value);
  });

  it.each([
    ['a right-to-left override', 'invoice\u202Egpj.exe'],
    ['a left-to-right embedding', 'a\u202Ab'],
    ['a first-strong isolate', 'a\u2068b'],
    ['a pop directional isolate', 'a\u2069b'],
    ['an ANSI colour escape', 'ok \u001b[31mred'],
    ['a C1 control sequence introducer', 'a\u009b31mb'],
    ['a NUL', 'a\u0000b'],
    ['a bell', 'a\u0007b'],
    ['DEL', 'a\u007fb'],
    ['a line feed', 'two\nlines'],
    ['a tab', 'a\tb'],
  ])('refuses %s, naming the field', (_case, value) => {
    expect(() => validate(z.object({ title }), { title: value })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        message: 'title: must not contain control characters or bidirectional overrides',
      }),
    );
  });
});

describe('multiLineText', () => {
  it('keeps line feeds and tabs, and turns CR LF and lone CR into LF', () => {
    expect(body.parse('line 1\r\nline 2\rline 3\n\tindented')).toBe(
      'line 1\nline 2\nline 3\n\tindented',
    );
  });

  it.each([
    ['an ANSI escape', 'fine\n\u001b[2Jcleared'],
    ['a right-to-left override', 'pay \u202E0001$'],
    ['a vertical tab', 'a\u000bb'],
    ['a C1 control', 'a\u0085b'],
  ])('refuses %s', (_case, value) => {
    expect(() => validate(z.object({ body }), { body: value })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        message: expect.stringMatching(/^body: /),
      }),
    );
  });
});
