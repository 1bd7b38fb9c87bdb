import { summaryText } from './run-executor';

describe('a run’s summary', () => {
  it('loses colours and control characters the server refuses, keeping lines and tabs', () => {
    expect(summaryText('Segfault \u001b[31m<<garbage>>\u001b[0m\r\nnext\tline\u202e\u0007')).toBe(
      'Segfault <<garbage>>\nnext\tline',
    );
    expect(summaryText('\u001b]0;title\u0007done')).toBe('done');
  });

  it('is cut at 2,000 characters', () => {
    expect(summaryText('x'.repeat(5_000))).toHaveLength(2_000);
  });
});
