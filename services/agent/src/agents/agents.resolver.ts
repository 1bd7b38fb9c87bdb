import { Args, ID, Parent, Mutation, Query, ResolveReference, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import {
  Agent,
  HeartbeatStatusValue,
  IssuedAgentKey,
  RegisterAgentInput,
  UpdateAgentInput,
  agentOf,
  asReportedStatus,
} from '../graphql/agent.models';
import { HeartbeatsService } from '../presence/heartbeats.service';
import { AgentsService } from './agents.service';

/** Thin: every check and rule is in the services and the agent decider. */
@Resolver(() => Agent)
export class AgentsResolver {
  constructor(
    private readonly registry: AgentsService,
    private readonly heartbeats: HeartbeatsService,
  ) {}

  @Query(() => [Agent], { description: 'The roster: every agent of the workspace by name.' })
  async agents(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
  ): Promise<Agent[]> {
    return (await this.registry.list(principal, workspaceId)).map(agentOf);
  }

  @Query(() => Agent)
  async agent(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Agent> {
    return agentOf(await this.registry.get(principal, workspaceId, id));
  }

  @Mutation(() => Agent, { description: 'Needs manage_agents. The agent starts inactive.' })
  async registerAgent(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('input') input: RegisterAgentInput,
  ): Promise<Agent> {
    return agentOf(await this.registry.register(principal, workspaceId, input));
  }

  @Mutation(() => Agent, { description: 'Needs manage_agents.' })
  async updateAgent(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
    @Args('input') input: UpdateAgentInput,
  ): Promise<Agent> {
    return agentOf(await this.registry.update(principal, workspaceId, id, input));
  }

  @Mutation(() => Agent, { description: 'Needs manage_agents. An inactive agent becomes idle.' })
  async activateAgent(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Agent> {
    return agentOf(await this.registry.activate(principal, workspaceId, id));
  }

  @Mutation(() => Agent, { description: 'Needs manage_agents. The agent becomes inactive.' })
  async deactivateAgent(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Agent> {
    return agentOf(await this.registry.deactivate(principal, workspaceId, id));
  }

  @Mutation(() => IssuedAgentKey, {
    description:
      'Needs manage_agents. A new key for the agent, shown once; the key it had stops working. Deactivating an agent also revokes its key.',
  })
  async issueAgentKey(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('agentId', { type: () => ID }, validId) agentId: string,
  ): Promise<IssuedAgentKey> {
    const issued = await this.registry.issueKey(principal, workspaceId, agentId);
    return { ...issued, agent: agentOf(issued.agent) };
  }

  @Mutation(() => Agent, {
    description:
      'Agents only: the calling agent is alive and doing `activity`. Rate limited per agent.',
  })
  async heartbeat(
    @CurrentPrincipal() principal: Principal,
    @Args('status', { type: () => HeartbeatStatusValue }) status: HeartbeatStatusValue,
    @Args('activity', { type: () => String, nullable: true }) activity: string | null,
  ): Promise<Agent> {
    return agentOf(
      await this.heartbeats.heartbeat(principal, { status: asReportedStatus(status), activity }),
    );
  }

  /** Only agents of the caller's own workspace; null for anything else, as for a missing id. */
  @ResolveReference()
  async resolveReference(
    @Parent() reference: { id: string },
    @CurrentPrincipal() principal: Principal,
  ): Promise<Agent | null> {
    const agent = await this.registry.reference(principal, reference.id);
    return agent ? agentOf(agent) : null;
  }
}
