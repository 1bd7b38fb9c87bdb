import { Args, GraphQLISODateTime, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { asInterval, MetricIntervalValue } from '../metrics/metrics.models';
import type { AgentRunStatsRecord, CostPointRecord } from './agent-costs';
import { AgentRunStats, AgentRunStatsConnection, CostPoint } from './costs.models';
import { CostsService } from './costs.service';

const usd = (microUsd: number): number => microUsd / 1_000_000;

const costPointOf = ({ costMicroUsd, estimatedCostMicroUsd, ...rest }: CostPointRecord) => ({
  ...rest,
  costUsd: usd(costMicroUsd),
  estimatedCostUsd: usd(estimatedCostMicroUsd),
});

const statsOf = ({
  costMicroUsd,
  estimatedCostMicroUsd,
  ...rest
}: AgentRunStatsRecord): AgentRunStats => ({
  ...rest,
  costUsd: usd(costMicroUsd),
  estimatedCostUsd: usd(estimatedCostMicroUsd),
});

/** Thin: checks and rules are in CostsService. */
@Resolver()
@RequirePermission('view_analytics')
export class CostsResolver {
  constructor(private readonly costs: CostsService) {}

  @Query(() => [CostPoint], {
    description:
      'Cost and tokens reported by runs per bucket, every bucket of the range (at most 1,000), ' +
      'of the workspace or of one agent; needs view_analytics.',
  })
  async costOverTime(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('from', { type: () => GraphQLISODateTime }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime }) to: Date,
    @Args('interval', {
      type: () => MetricIntervalValue,
      nullable: true,
      defaultValue: MetricIntervalValue.DAY,
    })
    interval?: MetricIntervalValue | null,
    @Args('agentId', { type: () => ID, nullable: true }, validId) agentId?: string | null,
  ): Promise<CostPoint[]> {
    const points = await this.costs.costOverTime(
      principal,
      workspaceId,
      from,
      to,
      asInterval(interval ?? MetricIntervalValue.DAY),
      agentId ?? null,
    );
    return points.map(costPointOf);
  }

  @Query(() => AgentRunStatsConnection, {
    description:
      'Per agent over the range (at most 366 days): runs, success rate, tokens, cost, mean ' +
      'duration and response times; who cost most first, `first` (1–100) after `after`. Needs ' +
      'view_analytics.',
  })
  async agentRunStats(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('from', { type: () => GraphQLISODateTime }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime }) to: Date,
    @Args('first', { type: () => Int, defaultValue: 50 }) first = 50,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<AgentRunStatsConnection> {
    const page = await this.costs.agentRunStats(
      principal,
      workspaceId,
      from,
      to,
      first,
      after ?? null,
    );
    return {
      nodes: page.nodes.map(statsOf),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }
}
