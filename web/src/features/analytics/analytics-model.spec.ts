import { dailySeries, lastDays, utilisationBars } from './analytics-model';

describe('lastDays', () => {
  it('starts at UTC midnight thirteen days before today for two weeks', () => {
    const { from, to } = lastDays(new Date('2025-05-20T15:30:00Z'), 14);
    expect(from.toISOString()).toBe('2025-05-07T00:00:00.000Z');
    expect(to.toISOString()).toBe('2025-05-20T15:30:00.000Z');
  });
});

describe('dailySeries', () => {
  it('has a bar for every day, zero where nothing was done', () => {
    const from = new Date('2025-05-07T00:00:00Z');
    const series = dailySeries(
      [
        { time: '2025-05-08T00:00:00Z', created: 3, done: 2 },
        { time: '2025-05-20T00:00:00Z', created: 0, done: 5 },
      ],
      from,
      14,
    );
    expect(series).toHaveLength(14);
    expect(series[0]).toEqual({ day: '2025-05-07', label: 'May 7', done: 0, created: 0 });
    expect(series[1]).toMatchObject({ day: '2025-05-08', done: 2, created: 3 });
    expect(series[13]).toMatchObject({ day: '2025-05-20', done: 5 });
  });
});

describe('utilisationBars', () => {
  it('names agents, clamps to 0–100 % and puts the busiest first', () => {
    const bars = utilisationBars(
      [
        { agentId: 'a1', utilisation: 0.254, busySeconds: 1, idleSeconds: 3, offlineSeconds: 0 },
        { agentId: 'a2', utilisation: 1.2, busySeconds: 1, idleSeconds: 0, offlineSeconds: 0 },
        { agentId: 'a3', utilisation: 0.5, busySeconds: 1, idleSeconds: 1, offlineSeconds: 0 },
      ],
      new Map([
        ['a1', 'Scout'],
        ['a2', 'Builder'],
      ]),
    );
    expect(bars).toEqual([
      { agentId: 'a2', name: 'Builder', percent: 100 },
      { agentId: 'a3', name: 'Unknown agent', percent: 50 },
      { agentId: 'a1', name: 'Scout', percent: 25 },
    ]);
  });
});
