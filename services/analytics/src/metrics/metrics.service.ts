import { Injectable } from '@nestjs/common';
import { assertPermission, assertWorkspace, type Principal } from '@mission-control/auth';
import { MetricsStore } from './metrics-store.port';
import { throughputRange, utilisationRange } from './metrics-query';
import { integrateTimeline, utilisationOf, type Utilisation } from './status-timeline';
import { fillBuckets, type Interval, type ThroughputBucket } from './time-buckets';

export type AgentUtilisationRecord = Utilisation & { agentId: string };

/** Throughput and utilisation from the metrics time series; needs view_analytics. */
@Injectable()
export class MetricsService {
  constructor(private readonly metrics: MetricsStore) {}

  async throughput(
    principal: Principal,
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
  ): Promise<ThroughputBucket[]> {
    this.assertAnalyst(principal, workspaceId);
    const range = throughputRange(workspaceId, from, to, interval);
    const found = await this.metrics.throughput(workspaceId, range.from, range.to, interval);
    return fillBuckets(range.from, range.to, interval, found);
  }

  async utilisation(
    principal: Principal,
    workspaceId: string,
    from: Date,
    to: Date,
    now: Date = new Date(),
  ): Promise<AgentUtilisationRecord[]> {
    this.assertAnalyst(principal, workspaceId);
    const range = utilisationRange(workspaceId, from, to);
    // The future has no status yet: a range reaching past now is integrated up to now.
    const end = new Date(Math.min(range.to.getTime(), now.getTime()));
    const timelines = await this.metrics.agentTimelines(workspaceId, range.from, end);
    return timelines
      .map((timeline) => ({
        agentId: timeline.agentId,
        ...utilisationOf(integrateTimeline(timeline.before, timeline.changes, range.from, end)),
      }))
      .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  }

  private assertAnalyst(principal: Principal, workspaceId: string): void {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'view_analytics');
  }
}
