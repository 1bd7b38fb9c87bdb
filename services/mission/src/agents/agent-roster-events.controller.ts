import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type EventBusContext, EventHandlers, type EventOf } from '@mission-control/eventing/nest';
import type { Tx } from '../eventing/mission-event-store';
import { agentV1 } from '@mission-control/proto';
import { LeasesService } from '../leases/leases.service';
import { AgentRosterProjection } from './agent-roster.projection';

/** Statuses of an agent that is heartbeating: its claims' leases are kept while it is. */
const ONLINE = new Set([
  agentV1.AgentStatus.IDLE,
  agentV1.AgentStatus.BUSY,
  agentV1.AgentStatus.ERROR,
]);

/**
 * The agent events missions follow: who may be assigned work (the roster), whose sub-agent an
 * agent is (its parent's budgets count its runs), and agents that went
 * offline or were deactivated, whose claims end so their missions are offered again, and whether
 * each is heartbeating.
 */
@EventHandlers()
export class AgentRosterEventsController {
  constructor(
    private readonly projection: AgentRosterProjection,
    private readonly leases: LeasesService,
  ) {}

  @EventPattern('agent.v1.AgentStatusChanged')
  async statusChanged(
    @Payload() event: EventOf<'agent.v1.AgentStatusChanged'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    const { agentId, toStatus } = event.data;
    const online = ONLINE.has(toStatus);
    await this.projection.recordPresence(context.tx, agentId, online, context.envelope);
    if (toStatus === agentV1.AgentStatus.OFFLINE) {
      await this.leases.releaseAgent(context.tx, agentId, new Date(context.envelope.time));
    }
  }

  @EventPattern('agent.v1.AgentRegistered')
  registered(
    @Payload() event: EventOf<'agent.v1.AgentRegistered'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.record(context.tx, event.data.agentId, false, context.envelope);
  }

  @EventPattern('agent.v1.SubAgentSpawned')
  subAgentSpawned(
    @Payload() event: EventOf<'agent.v1.SubAgentSpawned'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.recordParent(
      context.tx,
      event.data.agentId,
      event.data.parentAgentId,
      context.envelope,
    );
  }

  @EventPattern('agent.v1.AgentActivated')
  activated(
    @Payload() event: EventOf<'agent.v1.AgentActivated'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.record(context.tx, event.data.agentId, true, context.envelope);
  }

  @EventPattern('agent.v1.AgentDeactivated')
  async deactivated(
    @Payload() event: EventOf<'agent.v1.AgentDeactivated'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    await this.projection.record(context.tx, event.data.agentId, false, context.envelope);
    await this.leases.releaseAgent(context.tx, event.data.agentId, new Date(context.envelope.time));
  }
}
