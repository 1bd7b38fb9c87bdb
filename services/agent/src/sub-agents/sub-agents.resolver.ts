import { Args, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { Agent, agentOf, SpawnedSubAgent, SpawnSubAgentInput } from '../graphql/agent.models';
import { SubAgentsService } from './sub-agents.service';

/** Thin: every check and rule is in the sub-agents service and the agent decider. */
@Resolver(() => Agent)
export class SubAgentsResolver {
  constructor(private readonly subAgents: SubAgentsService) {}

  @Mutation(() => SpawnedSubAgent, {
    description:
      'Agents only: the calling agent (active, and no sub-agent itself) spawns a sub-agent, active, with a key shown once that stops working after `ttlSeconds` or when the caller stops. Its runs count against the caller’s budgets.',
  })
  async spawnSubAgent(
    @CurrentPrincipal() principal: Principal,
    @Args('input') input: SpawnSubAgentInput,
  ): Promise<SpawnedSubAgent> {
    const spawned = await this.subAgents.spawn(principal, input);
    return { ...spawned, agent: agentOf(spawned.agent) };
  }

  @ResolveField(() => Agent, {
    nullable: true,
    description: 'The agent that spawned this sub-agent; null for an agent a person registered.',
  })
  async parent(
    @Parent() agent: Agent,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Agent | null> {
    const parent = await this.subAgents.parent(principal, agent);
    return parent ? agentOf(parent) : null;
  }

  @ResolveField(() => [Agent], {
    description: 'The sub-agents this agent spawned, newest first, ended ones included.',
  })
  async children(
    @Parent() agent: Agent,
    @CurrentPrincipal() principal: Principal,
  ): Promise<Agent[]> {
    return (await this.subAgents.children(principal, agent)).map(agentOf);
  }
}
