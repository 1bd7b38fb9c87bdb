import { FractionalIndexError, isValidKey, keyBetween } from './fractional-index';

// Byte order, as Postgres compares with COLLATE "C".
const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A deterministic PRNG so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('keyBetween', () => {
  it('starts at a0 and appends and prepends with short keys', () => {
    expect(keyBetween(null, null)).toBe('a0');
    expect(keyBetween('a0', null)).toBe('a1');
    expect(keyBetween(null, 'a0')).toBe('Zz');
    expect(keyBetween('a0', 'a1')).toBe('a0V');
    expect(keyBetween('a0V', 'a1')).toBe('a0l');
    expect(keyBetween('az', null)).toBe('b00');
  });

  it('refuses neighbours in the wrong order or malformed keys', () => {
    expect(() => keyBetween('a1', 'a0')).toThrow(FractionalIndexError);
    expect(() => keyBetween('a1', 'a1')).toThrow(FractionalIndexError);
    expect(() => keyBetween('a10', null)).toThrow(FractionalIndexError);
    expect(() => keyBetween('!', null)).toThrow(FractionalIndexError);
    expect(isValidKey('a0V')).toBe(true);
    expect(isValidKey('a0 ')).toBe(false);
    expect(isValidKey('')).toBe(false);
  });

  it('keeps order through many random inserts, and keys stay short', () => {
    const next = random(42);
    const keys: string[] = [];
    for (let insert = 0; insert < 3_000; insert += 1) {
      const at = Math.floor(next() * (keys.length + 1));
      const key = keyBetween(keys[at - 1] ?? null, keys[at] ?? null);
      keys.splice(at, 0, key);
    }
    expect([...keys].sort(byteOrder)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
    expect(Math.max(...keys.map((key) => key.length))).toBeLessThanOrEqual(8);
  });

  it('appending thousands of cards grows keys only logarithmically', () => {
    let last: string | null = null;
    const keys: string[] = [];
    for (let card = 0; card < 10_000; card += 1) {
      last = keyBetween(last, null);
      keys.push(last);
    }
    expect([...keys].sort(byteOrder)).toEqual(keys);
    expect(last!.length).toBeLessThanOrEqual(4);
  });

  it('survives repeated inserts into the same gap (the worst case) in order', () => {
    let low = 'a0';
    const high = 'a1';
    const keys = [low];
    for (let insert = 0; insert < 200; insert += 1) {
      low = keyBetween(low, high);
      keys.push(low);
    }
    expect([...keys].sort(byteOrder)).toEqual(keys);
    // Each insert into the same gap costs well under one character.
    expect(low.length).toBeLessThanOrEqual(50);
  });
});
