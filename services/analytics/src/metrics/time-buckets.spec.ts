import {
  bucketCount,
  bucketOrigin,
  bucketStart,
  bucketStarts,
  fillBuckets,
  influxGroupByTime,
} from './time-buckets';

const at = (iso: string) => new Date(iso);

describe('time buckets', () => {
  it('starts hours, days and weeks (Mondays) at UTC boundaries', () => {
    const time = at('2026-11-19T15:42:10.500Z'); // a Thursday
    expect(bucketStart(time, 'hour')).toEqual(at('2026-11-19T15:00:00Z'));
    expect(bucketStart(time, 'day')).toEqual(at('2026-11-19T00:00:00Z'));
    expect(bucketStart(time, 'week')).toEqual(at('2026-11-16T00:00:00Z'));
    expect(bucketStart(at('2026-11-16T00:00:00Z'), 'week')).toEqual(at('2026-11-16T00:00:00Z'));
    expect(bucketStart(at('2026-11-15T23:59:59Z'), 'week')).toEqual(at('2026-11-09T00:00:00Z'));
  });

  it('lists every bucket overlapping [from, to), the partial first one included', () => {
    expect(bucketStarts(at('2026-11-01T06:00:00Z'), at('2026-11-04T00:00:00Z'), 'day')).toEqual([
      at('2026-11-01T00:00:00Z'),
      at('2026-11-02T00:00:00Z'),
      at('2026-11-03T00:00:00Z'),
    ]);
    expect(bucketCount(at('2026-11-01T06:00:00Z'), at('2026-11-04T00:00:01Z'), 'day')).toBe(4);
  });

  it('fills the buckets nothing happened in with zeros, in order', () => {
    const filled = fillBuckets(at('2026-11-01T00:00:00Z'), at('2026-11-04T00:00:00Z'), 'day', [
      { time: at('2026-11-03T00:00:00Z'), created: 2, done: 1 },
      { time: at('2026-11-01T00:00:00Z'), created: 1, done: 0 },
    ]);
    expect(filled).toEqual([
      { time: at('2026-11-01T00:00:00Z'), created: 1, done: 0 },
      { time: at('2026-11-02T00:00:00Z'), created: 0, done: 0 },
      { time: at('2026-11-03T00:00:00Z'), created: 2, done: 1 },
    ]);
  });

  it('adds up counts reported for one bucket and ignores those outside the range', () => {
    const filled = fillBuckets(at('2026-11-16T00:00:00Z'), at('2026-11-23T00:00:00Z'), 'week', [
      { time: at('2026-11-17T10:00:00Z'), created: 1, done: 0 },
      { time: at('2026-11-20T10:00:00Z'), created: 0, done: 3 },
      { time: at('2026-12-20T10:00:00Z'), created: 9, done: 9 },
    ]);
    expect(filled).toEqual([{ time: at('2026-11-16T00:00:00Z'), created: 1, done: 3 }]);
  });

  it('starts every bucket a whole number of buckets from its origin (for SQL date_bin)', () => {
    expect(bucketOrigin('hour')).toEqual(at('1970-01-01T00:00:00Z'));
    expect(bucketOrigin('day')).toEqual(at('1970-01-01T00:00:00Z'));
    expect(bucketOrigin('week')).toEqual(at('1970-01-05T00:00:00Z')); // a Monday
    for (const interval of ['hour', 'day', 'week'] as const) {
      expect(bucketStart(bucketOrigin(interval), interval)).toEqual(bucketOrigin(interval));
    }
  });

  it('asks InfluxDB for the same buckets', () => {
    expect(influxGroupByTime('hour')).toBe('time(1h)');
    expect(influxGroupByTime('day')).toBe('time(1d)');
    // Weeks from the epoch's Thursday plus four days: Mondays.
    expect(influxGroupByTime('week')).toBe('time(7d, 4d)');
  });
});
