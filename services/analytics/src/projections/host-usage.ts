import type { DomainEvent } from '@mission-control/proto';
import {
  HOST_USAGE_MEASUREMENT,
  longStreamPointTimestamp,
  type MetricPoint,
} from '../metrics/metric-points';
import type { EventMeta } from './event-meta';

export type HostSampledEvent = Extract<DomainEvent, { type: 'agent.v1.HostSampled' }>;

/**
 * A host's sample as a host_usage point. It needs no state: the event carries the host's memory,
 * and a replay writes the same point again (its timestamp comes from the event).
 */
export function hostUsagePoint(event: HostSampledEvent, meta: EventMeta): MetricPoint {
  const { data } = event;
  return {
    measurement: HOST_USAGE_MEASUREMENT,
    tags: { workspace_id: meta.workspaceId, host_id: data.hostId },
    fields: {
      cpu_percent: data.cpuPercent,
      memory_used_bytes: Number(data.memoryUsedBytes),
      memory_total_bytes: Number(data.memoryTotalBytes),
      disk_used_bytes: Number(data.diskUsedBytes),
      disk_total_bytes: Number(data.diskTotalBytes),
    },
    timestamp: longStreamPointTimestamp(meta.time, meta.version),
  };
}
