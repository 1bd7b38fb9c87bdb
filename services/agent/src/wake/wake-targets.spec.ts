import { domainEvent, missionV1, type Actor } from '@mission-control/proto';
import { AGENT_STATUSES } from '../agents/agent-status';
import { AVAILABLE_WAKE_STATUSES, wakeOfMissionEvent, wakes } from './wake-targets';

const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const agentId = '0193a0c4-0000-7000-8000-0000000000a1';
const { TODO, DONE, BACKLOG, IN_PROGRESS } = missionV1.BoardColumn;
const commander: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-0000000000u1' };

// The rule is wakeOfMission's (libs/live-protocol); this reads it off the typed events.
describe('who a mission event wakes', () => {
  it('reads the assignee, the agent who acted and the column off the event', () => {
    const assigned = domainEvent('mission.v1.MissionAssigned', { missionId, agentId });
    expect(wakeOfMissionEvent(assigned, commander)).toEqual({
      agentId,
      wake: { reason: 'assigned', missionId },
    });
    expect(wakeOfMissionEvent(assigned, { kind: 'agent', id: agentId })).toBeNull();
    const ready = domainEvent('mission.v1.MissionBecameReady', {
      missionId,
      column: TODO,
      assigneeAgentId: agentId,
    });
    expect(wakeOfMissionEvent(ready, commander)).toEqual({
      agentId,
      wake: { reason: 'assigned', missionId },
    });
    const available = { agentId: null, wake: { reason: 'available', missionId } };
    for (const event of [
      domainEvent('mission.v1.MissionCreated', { missionId, column: TODO }),
      domainEvent('mission.v1.MissionMoved', { missionId, fromColumn: BACKLOG, toColumn: TODO }),
      domainEvent('mission.v1.MissionReleased', { missionId, agentId, toColumn: TODO }),
      domainEvent('mission.v1.MissionBecameReady', { missionId, column: TODO }),
    ]) {
      expect(wakeOfMissionEvent(event, commander)).toEqual(available);
    }
    for (const event of [
      domainEvent('mission.v1.MissionMoved', { missionId, toColumn: DONE }),
      // Written before missions had a column: created in the backlog.
      domainEvent('mission.v1.MissionCreated', { missionId }),
      domainEvent('mission.v1.MissionReleased', { missionId, agentId, toColumn: IN_PROGRESS }),
      domainEvent('mission.v1.MissionBecameReady', { missionId, column: BACKLOG }),
    ]) {
      expect(wakeOfMissionEvent(event, commander)).toBeNull();
    }
  });
});

describe('which agents a wake reaches', () => {
  it('wakes an agent in service for work assigned to it, even offline (it may be asleep)', () => {
    expect(AGENT_STATUSES.filter((status) => wakes('assigned', status))).toEqual([
      'idle',
      'busy',
      'offline',
      'error',
    ]);
  });

  it('offers work anyone may take to agents waiting for work or asleep, not busy ones', () => {
    expect(AGENT_STATUSES.filter((status) => wakes('available', status))).toEqual([
      ...AVAILABLE_WAKE_STATUSES,
    ]);
    expect(wakes('available', 'idle')).toBe(true);
    // A serverless agent sends no heartbeats: offline is how it sleeps, and its wake URL wakes it.
    expect(wakes('available', 'offline')).toBe(true);
    expect(wakes('available', 'busy')).toBe(false);
    expect(wakes('available', 'inactive')).toBe(false);
  });
});
