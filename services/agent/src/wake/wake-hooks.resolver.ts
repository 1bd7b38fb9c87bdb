import { Args, ID, Mutation, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { Agent, agentOf } from '../graphql/agent.models';
import { AgentWakeHook, AgentWakeHookWithSecret, wakeHookOf } from './wake.models';
import { WakeHooksService } from './wake-hooks.service';

/** Thin: access checks and the URL policy are in the service. */
@Resolver(() => Agent)
export class WakeHooksResolver {
  constructor(private readonly hooks: WakeHooksService) {}

  @ResolveField(() => AgentWakeHook, {
    nullable: true,
    description: 'Where the agent is woken over HTTP; null when it has no wake URL.',
  })
  async wakeHook(
    @Parent() agent: Agent,
    @CurrentPrincipal() principal: Principal,
  ): Promise<AgentWakeHook | null> {
    const view = await this.hooks.view(principal, agent);
    return view ? wakeHookOf(view) : null;
  }

  @Mutation(() => AgentWakeHookWithSecret, {
    description:
      'Needs manage_agents. Sets the agent’s wake URL (http or https, at most 2,048 characters) with a new signing secret, shown once; setting it again rotates the secret.',
  })
  async setAgentWakeHook(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('agentId', { type: () => ID }, validId) agentId: string,
    @Args('url') url: string,
  ): Promise<AgentWakeHookWithSecret> {
    const { secret, hook, agent } = await this.hooks.set(principal, workspaceId, agentId, url);
    return { secret, wakeHook: wakeHookOf(hook), agent: agentOf(agent) };
  }

  @Mutation(() => Agent, {
    description:
      'Needs manage_agents. The agent is no longer woken over HTTP; wakes not yet sent are dropped.',
  })
  async removeAgentWakeHook(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('agentId', { type: () => ID }, validId) agentId: string,
  ): Promise<Agent> {
    return agentOf(await this.hooks.remove(principal, workspaceId, agentId));
  }
}
