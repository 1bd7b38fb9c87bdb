import { missionV1, type Actor, type DomainEvent } from '@mission-control/proto';
import type { AgentStatus } from '../agents/agent-status';

/** Why an agent is woken: work assigned to it, or work in To do that any agent may take. */
export type WakeReason = 'assigned' | 'available';

/** A wake for one agent (`agentId`) or for every agent that may take work (`null`). */
export type Wake = { agentId: string | null; reason: WakeReason; missionId: string };

/** The mission events that may wake an agent. */
export type MissionWakeEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.MissionAssigned'
      | 'mission.v1.MissionCreated'
      | 'mission.v1.MissionMoved'
      | 'mission.v1.MissionReleased';
  }
>;

const TODO = missionV1.BoardColumn.TODO;

/**
 * Who a mission event wakes, with the same rules as the gateway's socket.io `wake` (its `wakeOf`),
 * so an agent woken over HTTP and one woken on its socket are woken for the same things: the agent
 * a mission is assigned to (`assigned`), and every agent when a mission lands in To do, created,
 * moved or given back there (`available`). Null: no one. An agent that took the mission itself
 * (`nextMission` assigns it to the caller) is already awake.
 */
export function wakeOfMissionEvent(event: MissionWakeEvent, actor: Actor): Wake | null {
  const { missionId } = event.data;
  if (missionId === '') {
    return null;
  }
  switch (event.type) {
    case 'mission.v1.MissionAssigned':
      return event.data.agentId === '' ||
        (actor.kind === 'agent' && actor.id === event.data.agentId)
        ? null
        : { agentId: event.data.agentId, reason: 'assigned', missionId };
    case 'mission.v1.MissionCreated':
      return event.data.column === TODO ? { agentId: null, reason: 'available', missionId } : null;
    case 'mission.v1.MissionMoved':
    case 'mission.v1.MissionReleased':
      return event.data.toColumn === TODO
        ? { agentId: null, reason: 'available', missionId }
        : null;
    default:
      return event satisfies never;
  }
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
