import { domainEvent } from '@mission-control/proto';
import { hostUsagePoint } from './host-usage';

describe('host usage points', () => {
  it('are a sample’s figures, tagged with its workspace and host, at the event’s time', () => {
    const time = new Date('2026-12-07T10:00:15.250Z');
    const event = domainEvent('agent.v1.HostSampled', {
      hostId: 'host-1',
      cpuPercent: 37.5,
      memoryUsedBytes: 8_589_934_592n,
      memoryTotalBytes: 17_179_869_184n,
      diskUsedBytes: 10n,
      diskTotalBytes: 100n,
    });

    expect(hostUsagePoint(event, { time, version: 1_000_003, workspaceId: 'ws-1' })).toEqual({
      measurement: 'host_usage',
      tags: { workspace_id: 'ws-1', host_id: 'host-1' },
      fields: {
        cpu_percent: 37.5,
        memory_used_bytes: 8_589_934_592,
        memory_total_bytes: 17_179_869_184,
        disk_used_bytes: 10,
        disk_total_bytes: 100,
      },
      timestamp: `${time.getTime()}000004`,
    });
  });
});
