import { type LiveWake, wakeOfMission, type WakeTarget } from '@mission-control/live-protocol';
import { missionV1, type Actor, type DomainEvent } from '@mission-control/proto';
import type { AgentStatus } from '../agents/agent-status';

/** Why an agent is woken: work assigned to it, or work in To do that any agent may take. */
export type WakeReason = LiveWake['reason'];

/** The mission events that may wake an agent. */
export type MissionWakeEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.MissionAssigned'
      | 'mission.v1.MissionCreated'
      | 'mission.v1.MissionMoved'
      | 'mission.v1.MissionReleased'
      | 'mission.v1.MissionBecameReady';
  }
>;

const TODO = missionV1.BoardColumn.TODO;

/**
 * Who a mission event wakes: the rule of the gateway's socket.io `wake` (`wakeOfMission`), so an
 * agent woken over HTTP and one woken on its socket are woken for the same things.
 */
export function wakeOfMissionEvent(event: MissionWakeEvent, actor: Actor): WakeTarget | null {
  const column =
    event.type === 'mission.v1.MissionCreated' || event.type === 'mission.v1.MissionBecameReady'
      ? event.data.column
      : undefined;
  const assigneeId =
    event.type === 'mission.v1.MissionAssigned'
      ? event.data.agentId
      : event.type === 'mission.v1.MissionBecameReady'
        ? event.data.assigneeAgentId
        : undefined;
  return wakeOfMission({
    type: event.type,
    missionId: event.data.missionId,
    assigneeId,
    landsInTodo: (column ?? ('toColumn' in event.data ? event.data.toColumn : undefined)) === TODO,
    actorAgentId: actor.kind === 'agent' ? actor.id : undefined,
  });
}

/**
 * Whether an agent in `status` is woken for a wake: work assigned to it wakes any agent in service
 * (a sleeping one most of all); work anyone may take wakes agents waiting for work and agents
 * asleep (offline: a wake URL is how a serverless agent that sends no heartbeats hears of work),
 * not one that is busy or out of service.
 */
export function wakes(reason: WakeReason, status: AgentStatus): boolean {
  switch (reason) {
    case 'assigned':
      return status !== 'inactive';
    case 'available':
      return AVAILABLE_WAKE_STATUSES.includes(status);
    default:
      return reason satisfies never;
  }
}

/** The statuses an `available` wake reaches, for a query. */
export const AVAILABLE_WAKE_STATUSES: readonly AgentStatus[] = ['idle', 'offline', 'error'];
