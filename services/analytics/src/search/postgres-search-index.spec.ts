import { prefixQuery } from './postgres-search-index';

describe('prefixQuery', () => {
  it('matches any word, the last one also by its prefix', () => {
    expect(prefixQuery('Lunar  Module')).toBe("'lunar' | 'module':*");
    expect(prefixQuery('tranq')).toBe("'tranq':*");
  });

  it('keeps only letters and digits, so input never becomes a tsquery operator', () => {
    expect(prefixQuery("moon' & !rover:* | (x) <-> y\\")).toBe("'moon' | 'rover' | 'x' | 'y':*");
    expect(prefixQuery("'); DROP TABLE search_documents; --")).toBe(
      "'drop' | 'table' | 'search' | 'documents':*",
    );
  });

  it('keeps words of any script and drops repeats', () => {
    expect(prefixQuery('Äpfel äpfel 42 mañana')).toBe("'äpfel' | '42' | 'mañana':*");
  });

  it('is null when no word is left', () => {
    expect(prefixQuery(' &|!:*() ')).toBeNull();
  });
});
