import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type EventBusContext, EventHandlers, type EventOf } from '@mission-control/eventing/nest';
import type { Tx } from '../eventing/identity-event-store';
import { AgentKeysProjection } from './agent-keys.projection';

/** The agent events identity keeps keys from; every other agent event is no concern of identity. */
@EventHandlers()
export class AgentKeysEventsController {
  constructor(private readonly projection: AgentKeysProjection) {}

  @EventPattern('agent.v1.AgentKeyIssued')
  keyIssued(
    @Payload() event: EventOf<'agent.v1.AgentKeyIssued'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.keyIssued(context.tx, event.data, context.envelope);
  }

  @EventPattern('agent.v1.AgentKeyRevoked')
  keyRevoked(
    @Payload() event: EventOf<'agent.v1.AgentKeyRevoked'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.projection.keyRevoked(context.tx, event.data, context.envelope);
  }
}
