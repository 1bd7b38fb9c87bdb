import type { LiveWake } from './live-event';

/** What decides a wake, read off a mission event by whoever holds it (typed, or as JSON). */
export type MissionWakeFacts = {
  /** e.g. `mission.v1.MissionAssigned`. */
  type: string;
  missionId: string;
  /** MissionAssigned, MissionBecameReady: the agent it is assigned to. */
  assigneeId?: string;
  /** MissionCreated, MissionMoved, MissionReleased: the mission lands in To do; MissionBecameReady: it is there. */
  landsInTodo: boolean;
  /** The agent that caused the event, when an agent did. */
  actorAgentId?: string;
};

/** Whom a wake is for: one agent, or (`null`) every agent that may take work. */
export type WakeTarget = { agentId: string | null; wake: LiveWake };

/**
 * Who a mission event wakes, the one rule for the socket.io `wake` and the wake URL, so an agent
 * is woken for the same things either way: the agent a mission is assigned to (`assigned`), and
 * every agent when a mission lands in To do, created, moved or given back there (`available`).
 * A mission in To do whose last blocker is done (`MissionBecameReady`) wakes its assignee, or
 * every agent when it has none. Null: no one. An agent that took the mission itself (`nextMission` assigns it to the caller) is
 * already awake.
 */
export function wakeOfMission(facts: MissionWakeFacts): WakeTarget | null {
  const { missionId } = facts;
  if (missionId === '') {
    return null;
  }
  switch (facts.type) {
    case 'mission.v1.MissionAssigned': {
      const agentId = facts.assigneeId ?? '';
      return agentId === '' || facts.actorAgentId === agentId
        ? null
        : { agentId, wake: { reason: 'assigned', missionId } };
    }
    case 'mission.v1.MissionBecameReady': {
      if (!facts.landsInTodo) {
        return null;
      }
      const agentId = facts.assigneeId ?? '';
      if (agentId === '') {
        return { agentId: null, wake: { reason: 'available', missionId } };
      }
      return facts.actorAgentId === agentId
        ? null
        : { agentId, wake: { reason: 'assigned', missionId } };
    }
    case 'mission.v1.MissionCreated':
    case 'mission.v1.MissionMoved':
    case 'mission.v1.MissionReleased':
      return facts.landsInTodo ? { agentId: null, wake: { reason: 'available', missionId } } : null;
    default:
      return null;
  }
}
