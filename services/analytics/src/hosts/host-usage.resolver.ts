import { Args, GraphQLISODateTime, ID, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequirePermission, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { asHostUsageInterval, HostUsageIntervalValue, HostUsagePoint } from './host-usage.models';
import { HostUsageService } from './host-usage.service';

/** Thin: checks and rules are in HostUsageService. */
@Resolver()
@RequirePermission('view_analytics')
export class HostUsageResolver {
  constructor(private readonly usage: HostUsageService) {}

  @Query(() => [HostUsagePoint], {
    description:
      'A runtime host’s CPU, memory and disk use per bucket from its samples, every bucket of ' +
      'the range (at most 1,000); needs view_analytics.',
  })
  async hostUsage(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('hostId', { type: () => ID }, validId) hostId: string,
    @Args('from', { type: () => GraphQLISODateTime }) from: Date,
    @Args('to', { type: () => GraphQLISODateTime }) to: Date,
    @Args('interval', {
      type: () => HostUsageIntervalValue,
      nullable: true,
      defaultValue: HostUsageIntervalValue.FIVE_MINUTES,
    })
    interval?: HostUsageIntervalValue | null,
  ): Promise<HostUsagePoint[]> {
    return this.usage.hostUsage(
      principal,
      workspaceId,
      hostId,
      from,
      to,
      asHostUsageInterval(interval ?? HostUsageIntervalValue.FIVE_MINUTES),
    );
  }
}
