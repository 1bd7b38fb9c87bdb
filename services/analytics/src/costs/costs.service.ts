import { Injectable } from '@nestjs/common';
import { assertPermission, assertWorkspace, type Principal } from '@mission-control/auth';
import { MetricsStore } from '../metrics/metrics-store.port';
import { throughputRange, utilisationRange } from '../metrics/metrics-query';
import type { Interval } from '../metrics/time-buckets';
import {
  agentRunStats,
  assertPageSize,
  costSeries,
  decodeAgentCursor,
  pageOfAgents,
  type AgentRunStatsPage,
  type CostPointRecord,
} from './agent-costs';

/** Cost over time and per-agent run figures from the metrics time series; needs view_analytics. */
@Injectable()
export class CostsService {
  constructor(private readonly metrics: MetricsStore) {}

  /** Every bucket of the range (at most 1,000), of one agent or the whole workspace. */
  async costOverTime(
    principal: Principal,
    workspaceId: string,
    from: Date,
    to: Date,
    interval: Interval,
    agentId: string | null,
  ): Promise<CostPointRecord[]> {
    this.assertAnalyst(principal, workspaceId);
    const range = throughputRange(workspaceId, from, to, interval);
    const found = await this.metrics.costs(workspaceId, range.from, range.to, interval, agentId);
    return costSeries(range.from, range.to, interval, found);
  }

  /** One page of the agents with runs or claims in the range (at most 366 days). */
  async agentRunStats(
    principal: Principal,
    workspaceId: string,
    from: Date,
    to: Date,
    first: number,
    after: string | null,
  ): Promise<AgentRunStatsPage> {
    // Access first: another workspace's caller learns nothing, not even that an argument is bad.
    this.assertAnalyst(principal, workspaceId);
    assertPageSize(first);
    const cursor = after === null ? null : decodeAgentCursor(after);
    const range = utilisationRange(workspaceId, from, to);
    const [runs, responses] = await Promise.all([
      this.metrics.runTotals(workspaceId, range.from, range.to),
      this.metrics.responseTotals(workspaceId, range.from, range.to),
    ]);
    return pageOfAgents(agentRunStats(runs, responses), first, cursor);
  }

  private assertAnalyst(principal: Principal, workspaceId: string): void {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'view_analytics');
  }
}
