import { periodEndOf, periodKeyOf, reachesLimit, reachesWarning } from './budget-period';

describe('budget periods', () => {
  const at = new Date('2026-12-31T23:59:59.999Z');

  it('keys a period by its UTC day or month, or one key for ever', () => {
    expect(periodKeyOf('day', at)).toBe('2026-12-31');
    expect(periodKeyOf('month', at)).toBe('2026-12');
    expect(periodKeyOf('total', at)).toBe('total');
    expect(periodKeyOf('day', new Date('2027-01-01T00:00:00.000Z'))).toBe('2027-01-01');
  });

  it('ends a day at the next UTC midnight and a month on the first of the next, across a year', () => {
    expect(periodEndOf('day', at)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEndOf('month', at)?.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodEndOf('month', new Date('2026-02-10T12:00:00Z'))?.toISOString()).toBe(
      '2026-03-01T00:00:00.000Z',
    );
    expect(periodEndOf('total', at)).toBeNull();
  });
});

describe('budget thresholds', () => {
  const money = { tokenLimit: null, costLimitMicroUsd: 10_000_000, warnPercent: 80 };
  const tokens = { tokenLimit: 1_000, costLimitMicroUsd: null, warnPercent: 50 };

  it('warns from the warning share of a limit, and stops from the limit itself', () => {
    expect(reachesWarning(money, { tokens: 10 ** 9, costMicroUsd: 7_999_999 })).toBe(false);
    expect(reachesWarning(money, { tokens: 0, costMicroUsd: 8_000_000 })).toBe(true);
    expect(reachesLimit(money, { tokens: 0, costMicroUsd: 9_999_999 })).toBe(false);
    expect(reachesLimit(money, { tokens: 0, costMicroUsd: 10_000_000 })).toBe(true);
  });

  it('counts tokens against a token limit only, and either limit stops', () => {
    expect(reachesWarning(tokens, { tokens: 500, costMicroUsd: 0 })).toBe(true);
    expect(reachesLimit(tokens, { tokens: 999, costMicroUsd: 10 ** 12 })).toBe(false);
    expect(reachesLimit({ ...tokens, costLimitMicroUsd: 5 }, { tokens: 0, costMicroUsd: 5 })).toBe(
      true,
    );
  });

  it('treats a zero limit as "spend nothing": any spend stops', () => {
    const frozen = { tokenLimit: 0, costLimitMicroUsd: null, warnPercent: 80 };
    expect(reachesLimit(frozen, { tokens: 0, costMicroUsd: 0 })).toBe(true);
  });
});
