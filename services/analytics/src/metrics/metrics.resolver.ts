import { Args, GraphQLISODateTime, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import {
  AgentUtilisation,
  asInterval,
  MetricIntervalValue,
  ThroughputPoint,
} from './metrics.models';
import { MetricsService } from './metrics.service';

/** Thin: checks and rules are in MetricsService. */
@Resolver()
@RequirePermission('view_analytics')
export class MetricsResolver {
  constructor(private readonly metrics: MetricsService) {}

  @Query(() => [ThroughputPoint], {
    description: 'Missions created and done per bucket; needs view_analytics.',
  })
  missionThroughput(
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
  ): Promise<ThroughputPoint[]> {
    return this.metrics.throughput(
      principal,
      workspaceId,
      from,
      to,
      asInterval(interval ?? MetricIntervalValue.DAY),
    );
  }

  @Query(() => [AgentUtilisation], {
    description:
      'Share of the range each agent spent busy, idle, offline; needs view_analytics. Every ' +
      'agent with a known status in the range, by id.',
  })
  agentUtilisation(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('from', { type: () => GraphQLISODateTime }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime }) to: Date,
  ): Promise<AgentUtilisation[]> {
    return this.metrics.utilisation(principal, workspaceId, from, to);
  }
}
