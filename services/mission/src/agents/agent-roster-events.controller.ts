import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type EventBusContext, EventHandlers, type EventOf } from '@mission-control/eventing/nest';
import type { Tx } from '../eventing/mission-event-store';
import { AgentRosterProjection } from './agent-roster.projection';

/** The agent events the roster follows; profile, status and key events are no concern of missions. */
@EventHandlers()
export class AgentRosterEventsController {
  constructor(private readonly projection: AgentRosterProjection) {}

  @EventPattern('agent.v1.AgentRegistered')
  registered(
    @Payload() event: EventOf<'agent.v1.AgentRegistered'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.record(context.tx, event.data.agentId, false, context.envelope);
  }

  @EventPattern('agent.v1.AgentActivated')
  activated(
    @Payload() event: EventOf<'agent.v1.AgentActivated'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.record(context.tx, event.data.agentId, true, context.envelope);
  }

  @EventPattern('agent.v1.AgentDeactivated')
  deactivated(
    @Payload() event: EventOf<'agent.v1.AgentDeactivated'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.record(context.tx, event.data.agentId, false, context.envelope);
  }
}
