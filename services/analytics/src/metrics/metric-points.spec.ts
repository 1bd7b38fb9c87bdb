import { longStreamPointTimestamp, nanoseconds, pointTimestamp } from './metric-points';

describe('point timestamps', () => {
  it('are the event time in nanoseconds with the stream version in the last digits', () => {
    const time = new Date('2026-11-20T10:00:00.123Z');
    expect(pointTimestamp(time, 7)).toBe(`${time.getTime()}000007`);
    expect(nanoseconds(time)).toBe(`${time.getTime()}000000`);
  });

  it('keep two events of one append (one millisecond) apart and in order', () => {
    const time = new Date('2026-11-20T10:00:00Z');
    expect(BigInt(pointTimestamp(time, 2))).toBeGreaterThan(BigInt(pointTimestamp(time, 1)));
  });

  it('refuse a version that would spill into the milliseconds', () => {
    expect(() => pointTimestamp(new Date(), 1_000_000)).toThrow();
    expect(() => pointTimestamp(new Date(), 0)).toThrow();
  });

  it('wrap the version of a long stream below a million, deterministically', () => {
    const time = new Date('2026-11-20T10:00:00.123Z');
    expect(longStreamPointTimestamp(time, 7)).toBe(pointTimestamp(time, 7));
    expect(longStreamPointTimestamp(time, 999_999)).toBe(`${time.getTime()}999999`);
    expect(longStreamPointTimestamp(time, 1_000_000)).toBe(`${time.getTime()}000001`);
    expect(longStreamPointTimestamp(time, 3_000_005)).toBe(
      longStreamPointTimestamp(time, 3_000_005),
    );
  });
});
