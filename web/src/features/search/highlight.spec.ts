import { splitHighlight } from './highlight';

describe('splitHighlight', () => {
  it('splits marked matches from the text around them', () => {
    expect(splitHighlight('Fix the <mark>login</mark> page for <mark>login</mark>s')).toEqual([
      { text: 'Fix the ', marked: false },
      { text: 'login', marked: true },
      { text: ' page for ', marked: false },
      { text: 'login', marked: true },
      { text: 's', marked: false },
    ]);
  });

  it('keeps any other markup as literal text, to be rendered as text', () => {
    expect(splitHighlight('<img src=x onerror=alert(1)> <mark>xss</mark> &amp;')).toEqual([
      { text: '<img src=x onerror=alert(1)> ', marked: false },
      { text: 'xss', marked: true },
      { text: ' &amp;', marked: false },
    ]);
  });

  it('copes with adjacent, unclosed and stray tags', () => {
    expect(splitHighlight('<mark>a</mark><mark>b</mark>')).toEqual([{ text: 'ab', marked: true }]);
    expect(splitHighlight('x <mark>open')).toEqual([
      { text: 'x ', marked: false },
      { text: 'open', marked: true },
    ]);
    expect(splitHighlight('stray</mark> end')).toEqual([{ text: 'stray end', marked: false }]);
    expect(splitHighlight('')).toEqual([]);
  });
});
