import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { type EventBusContext, EventHandlers, type EventOf } from '@mission-control/eventing/nest';
import type { Tx } from '../eventing/agent-event-store';
import { WakeService } from './wake.service';

/**
 * The mission events that may wake agents: each queues the wakes it causes in the transaction that
 * records the event in the inbox, so none is lost and none is queued twice.
 */
@EventHandlers()
export class MissionWakeEventsController {
  constructor(private readonly wakes: WakeService) {}

  @EventPattern('mission.v1.MissionAssigned')
  assigned(
    @Payload() event: EventOf<'mission.v1.MissionAssigned'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.wakes.onMissionEvent(context.tx, context.envelope, event);
  }

  @EventPattern('mission.v1.MissionCreated')
  created(
    @Payload() event: EventOf<'mission.v1.MissionCreated'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.wakes.onMissionEvent(context.tx, context.envelope, event);
  }

  @EventPattern('mission.v1.MissionMoved')
  moved(
    @Payload() event: EventOf<'mission.v1.MissionMoved'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.wakes.onMissionEvent(context.tx, context.envelope, event);
  }

  @EventPattern('mission.v1.MissionReleased')
  released(
    @Payload() event: EventOf<'mission.v1.MissionReleased'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.wakes.onMissionEvent(context.tx, context.envelope, event);
  }

  @EventPattern('mission.v1.MissionBecameReady')
  becameReady(
    @Payload() event: EventOf<'mission.v1.MissionBecameReady'>,
    @Ctx() context: EventBusContext<Tx>,
  ): Promise<void> {
    return this.wakes.onMissionEvent(context.tx, context.envelope, event);
  }
}
