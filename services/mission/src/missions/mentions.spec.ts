import { mentionedIds, parseMentions } from './mentions';

describe('parseMentions', () => {
  it('finds each @name once, lower case, in order', () => {
    expect(parseMentions('@Scout please pair with @ada-l and @scout. cc @ops_bot!')).toEqual([
      'scout',
      'ada-l',
      'ops_bot',
    ]);
  });

  it('ignores e-mail addresses, lone @ and trailing punctuation', () => {
    expect(parseMentions('mail ada@example.com or @ alone, ping @bob.')).toEqual(['bob']);
  });

  it('keeps mentions written as ids apart', () => {
    const id = '0193a0c4-0000-7000-8000-000000000001';
    const names = parseMentions(`@${id} and @scout`);
    expect(names).toEqual([id, 'scout']);
    expect(mentionedIds(names)).toEqual([id]);
  });
});
