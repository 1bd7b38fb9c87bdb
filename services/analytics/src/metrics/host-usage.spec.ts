import { AppError } from '@mission-control/errors';
import { hostUsageRange, hostUsageSeries, type HostUsageBucket } from './host-usage';

const at = (iso: string) => new Date(iso);
const found = (iso: string, cpuPercent: number): HostUsageBucket => ({
  time: at(iso),
  samples: 4,
  cpuPercent,
  cpuPercentMax: cpuPercent + 10,
  memoryUsedBytes: 1_000,
  memoryTotalBytes: 2_000,
  diskUsedBytes: 10,
  diskTotalBytes: 100,
});

describe('host usage series', () => {
  it('gives every bucket of the range, empty ones with no figures', () => {
    const series = hostUsageSeries(
      at('2026-12-07T10:00:30Z'),
      at('2026-12-07T10:03:00Z'),
      'minute',
      [found('2026-12-07T10:00:00Z', 20), found('2026-12-07T10:02:00Z', 40)],
    );

    expect(series.map((point) => [point.time.toISOString(), point.cpuPercent])).toEqual([
      ['2026-12-07T10:00:00.000Z', 20],
      ['2026-12-07T10:01:00.000Z', null],
      ['2026-12-07T10:02:00.000Z', 40],
    ]);
    expect(series[1]).toMatchObject({ samples: 0, memoryUsedBytes: null, diskTotalBytes: null });
  });

  it('refuses a backwards range or too many buckets as VALIDATION_ERROR', () => {
    const codeOf = (run: () => void) => {
      try {
        run();
      } catch (error) {
        return error instanceof AppError ? error.code : 'other';
      }
      return undefined;
    };
    expect(
      codeOf(() => hostUsageRange(at('2026-12-08T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'hour')),
    ).toBe('VALIDATION_ERROR');
    expect(
      codeOf(() =>
        hostUsageRange(at('2026-12-01T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'minute'),
      ),
    ).toBe('VALIDATION_ERROR');
    expect(
      codeOf(() =>
        hostUsageRange(at('2026-12-06T00:00:00Z'), at('2026-12-07T00:00:00Z'), 'five_minutes'),
      ),
    ).toBeUndefined();
  });
});
