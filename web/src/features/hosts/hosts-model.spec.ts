import {
  changesHosts,
  formatAgo,
  formatBytes,
  formatBytesTick,
  formatPercent,
  hasSamples,
  hostRange,
  shareOf,
  usagePoints,
} from './hosts-model';

describe('hosts model', () => {
  it('starts each range on a whole bucket and picks a bucket size that fits it', () => {
    const now = new Date('2026-12-07T10:17:42Z');
    expect(hostRange('1h', now)).toEqual({
      key: '1h',
      from: new Date('2026-12-07T09:18:00Z'),
      to: now,
      interval: 'MINUTE',
    });
    expect(hostRange('24h', now).from).toEqual(new Date('2026-12-06T10:30:00Z'));
    expect(hostRange('7d', now).interval).toBe('HOUR');
  });

  it('writes bytes in binary units and percentages briefly', () => {
    expect(formatBytes(64 * 1024 ** 3)).toBe('64 GiB');
    expect(formatBytes(12.5 * 1024 ** 3)).toBe('12.5 GiB');
    expect(formatBytes(512 * 1024 ** 2)).toBe('512 MiB');
    expect(formatBytes(900)).toBe('900 B');
    expect(formatBytes(-1)).toBe('—');
    expect(formatBytesTick(74.5 * 1024 ** 3)).toBe('75G');
    expect(formatBytesTick(1.09 * 1024 ** 4)).toBe('1.09T');
    expect(formatBytesTick(0)).toBe('0');
    expect(formatPercent(42.46)).toBe('42%');
    expect(formatPercent(3.14)).toBe('3.1%');
    expect(shareOf(1, 4)).toBe(25);
    expect(shareOf(1, 0)).toBeNull();
  });

  it('keeps buckets without samples as gaps', () => {
    const points = usagePoints(
      [
        {
          time: '2026-12-07T10:00:00.000Z',
          samples: 4,
          cpuPercent: 25.04,
          cpuPercentMax: 40,
          memoryUsedBytes: 2,
          memoryTotalBytes: 4,
          diskUsedBytes: 1,
          diskTotalBytes: 10,
        },
        {
          time: '2026-12-07T10:01:00.000Z',
          samples: 0,
          cpuPercent: null,
          cpuPercentMax: null,
          memoryUsedBytes: null,
          memoryTotalBytes: null,
          diskUsedBytes: null,
          diskTotalBytes: null,
        },
      ],
      'MINUTE',
    );
    expect(points.map((point) => [point.label, point.cpu, point.memory])).toEqual([
      ['10:00', 25, 2],
      ['10:01', null, null],
    ]);
    expect(hasSamples(points)).toBe(true);
    expect(hasSamples(points.slice(1))).toBe(false);
  });

  it('refreshes on host events only, and says how long ago briefly', () => {
    expect(changesHosts('agent.v1.HostSampled')).toBe(true);
    expect(changesHosts('agent.v1.AgentStatusChanged')).toBe(false);
    const now = Date.parse('2026-12-07T10:00:00Z');
    expect(formatAgo('2026-12-07T09:59:45Z', now)).toBe('15 s ago');
    expect(formatAgo('2026-12-07T09:55:00Z', now)).toBe('5 min ago');
  });
});
