import {
  changesCosts,
  costBars,
  costRange,
  costTotals,
  estimatedShare,
  formatRate,
  formatSeconds,
  formatTokens,
  formatUsd,
} from './costs-model';

const point = (time: string, costUsd: number, estimatedCostUsd: number) => ({
  time,
  costUsd,
  estimatedCostUsd,
  inputTokens: 1_000,
  outputTokens: 200,
  cachedInputTokens: 100,
});

describe('costRange', () => {
  const now = new Date('2025-05-20T15:30:00Z');

  it('takes 24 whole hours for a day, by the hour', () => {
    expect(costRange('24h', now)).toEqual({
      key: '24h',
      from: new Date('2025-05-19T16:00:00Z'),
      to: now,
      interval: 'HOUR',
    });
  });

  it('takes whole UTC days for a week and a month, by the day', () => {
    expect(costRange('7d', now)).toMatchObject({
      from: new Date('2025-05-14T00:00:00Z'),
      interval: 'DAY',
    });
    expect(costRange('30d', now).from).toEqual(new Date('2025-04-21T00:00:00Z'));
  });
});

describe('costBars and costTotals', () => {
  const points = [point('2025-05-19T00:00:00Z', 0.09, 0.05), point('2025-05-20T00:00:00Z', 0, 0)];

  it('splits each bar into what was billed and what is an estimate', () => {
    const bars = costBars(points, 'DAY');
    expect(bars[0]).toMatchObject({ label: 'May 19', estimated: 0.05, total: 0.09 });
    expect(bars[0]!.billed).toBeCloseTo(0.04, 10);
    expect(bars[1]).toMatchObject({ billed: 0, estimated: 0, total: 0 });
    expect(costBars([point('2025-05-19T16:00:00Z', 1, 0)], 'HOUR')[0]!.label).toBe('16:00');
  });

  it('adds the range up', () => {
    expect(costTotals(points)).toEqual({
      costUsd: 0.09,
      estimatedCostUsd: 0.05,
      inputTokens: 2_000,
      outputTokens: 400,
      cachedInputTokens: 200,
    });
  });
});

describe('formatting', () => {
  it('shows money to the cent, and small amounts to a hundredth of a cent', () => {
    expect(formatUsd(0.0384)).toBe('$0.0384');
    expect(formatUsd(12.5)).toBe('$12.50');
  });

  it('shows rates, shares and durations, with a dash for the unknown', () => {
    expect(formatRate(0.5)).toBe('50 %');
    expect(formatRate(null)).toBe('–');
    expect(estimatedShare(0.09, 0.05)).toBe('56 %');
    expect(estimatedShare(0, 0)).toBe('–');
    expect(formatSeconds(42.5)).toBe('43 s');
    expect(formatSeconds(690)).toBe('11 min 30 s');
    expect(formatSeconds(3_780)).toBe('1 h 3 min');
    expect(formatSeconds(null)).toBe('–');
    expect(formatTokens(31_000)).toBe('31K');
  });
});

describe('changesCosts', () => {
  it('is a usage report or a run’s end, nothing else', () => {
    expect(changesCosts('mission.v1.RunUsageReported')).toBe(true);
    expect(changesCosts('mission.v1.RunFinished')).toBe(true);
    expect(changesCosts('mission.v1.RunLogAppended')).toBe(false);
    expect(changesCosts('mission.v1.MissionMoved')).toBe(false);
  });
});
