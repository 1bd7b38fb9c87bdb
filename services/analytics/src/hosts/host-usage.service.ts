import { Injectable } from '@nestjs/common';
import { assertPermission, assertWorkspace, type Principal } from '@mission-control/auth';
import {
  hostUsageRange,
  hostUsageSeries,
  type HostUsageInterval,
  type HostUsagePoint,
} from '../metrics/host-usage';
import { MetricsStore } from '../metrics/metrics-store.port';

/** A runtime host's CPU, memory and disk over time, from the metrics time series. */
@Injectable()
export class HostUsageService {
  constructor(private readonly metrics: MetricsStore) {}

  /** Every bucket of the range (at most 1,000); a host of another workspace has no samples here. */
  async hostUsage(
    principal: Principal,
    workspaceId: string,
    hostId: string,
    from: Date,
    to: Date,
    interval: HostUsageInterval,
  ): Promise<HostUsagePoint[]> {
    // Access first: another workspace's caller learns nothing, not even that an argument is bad.
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'view_analytics');
    hostUsageRange(from, to, interval);
    const found = await this.metrics.hostUsage(workspaceId, hostId, from, to, interval);
    return hostUsageSeries(from, to, interval, found);
  }
}
