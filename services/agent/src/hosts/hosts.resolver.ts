import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { Agent, agentOf } from '../graphql/agent.models';
import {
  asHostKind,
  Host,
  HostConnection,
  hostOf,
  HostSampleInput,
  ReportHostInput,
} from './host.models';
import { HostsService } from './hosts.service';

/** Thin: access checks are in HostsService, rules in the host decider. */
@Resolver(() => Host)
export class HostsResolver {
  constructor(private readonly service: HostsService) {}

  @Query(() => HostConnection, {
    description: 'The workspace’s runtime hosts by hostname: `first` (1–100) after `after`.',
  })
  async hosts(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('first', { type: () => Int, defaultValue: 50 }) first = 50,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<HostConnection> {
    const page = await this.service.page(principal, workspaceId, first, after ?? null);
    return {
      nodes: page.nodes.map(hostOf),
      pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
      totalCount: page.totalCount,
    };
  }

  @Query(() => Host)
  async host(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Host> {
    return hostOf(await this.service.get(principal, workspaceId, id));
  }

  @ResolveField(() => [Agent], { description: 'The agents that run on the host, by name.' })
  async agents(@Parent() host: Host, @CurrentPrincipal() principal: Principal): Promise<Agent[]> {
    return (await this.service.agentsOn(principal, host)).map(agentOf);
  }

  @Mutation(() => Host, {
    description:
      'Agents only (a runner calls it with one of its agents’ tokens): registers the host the ' +
      'agent runs on, or records what changed, and places the agent on it (off any other host).',
  })
  async reportHost(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('input') input: ReportHostInput,
  ): Promise<Host> {
    return hostOf(
      await this.service.report(principal, workspaceId, { ...input, kind: asHostKind(input.kind) }),
    );
  }

  @Mutation(() => Host, {
    description:
      'Agents on the host only: one sample of its resource usage (every 15 s is usual), which ' +
      'keeps it online. Rate limited per host.',
  })
  async reportHostSample(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('hostId', { type: () => ID }, validId) hostId: string,
    @Args('input') input: HostSampleInput,
  ): Promise<Host> {
    return hostOf(await this.service.sample(principal, workspaceId, hostId, input));
  }

  @Mutation(() => Host, {
    description:
      'Needs manage_agents. Removes the host (returned as it was); its agents are on no host ' +
      'until their runner reports again, as a new host.',
  })
  async removeHost(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Host> {
    return hostOf(await this.service.remove(principal, workspaceId, id));
  }
}

/** The host an agent runs on, as a field of the agent. */
@Resolver(() => Agent)
export class AgentHostResolver {
  constructor(private readonly hosts: HostsService) {}

  @ResolveField(() => Host, {
    nullable: true,
    description: 'The runtime host the agent runs on; null when no runner reported one.',
  })
  async host(
    @Parent() agent: Agent,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Host | null> {
    const host = await this.hosts.ofAgent(principal, agent);
    return host ? hostOf(host) : null;
  }
}
