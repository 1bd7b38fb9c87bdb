import { domainEvent, missionV1, type Actor } from '@mission-control/proto';
import { AGENT_STATUSES } from '../agents/agent-status';
import { AVAILABLE_WAKE_STATUSES, wakeOfMissionEvent, wakes } from './wake-targets';

const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const agentId = '0193a0c4-0000-7000-8000-0000000000a1';
const { TODO, DONE, BACKLOG, IN_PROGRESS } = missionV1.BoardColumn;
const commander: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-0000000000u1' };

describe('who a mission event wakes', () => {
  it('wakes the agent a mission is assigned to, and no one when it is unassigned', () => {
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionAssigned', { missionId, agentId }),
        commander,
      ),
    ).toEqual({ agentId, reason: 'assigned', missionId });
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionAssigned', { missionId, agentId: '' }),
        commander,
      ),
    ).toBeNull();
  });

  it('wakes no one for a mission an agent took itself: it is awake and at work', () => {
    expect(
      wakeOfMissionEvent(domainEvent('mission.v1.MissionAssigned', { missionId, agentId }), {
        kind: 'agent',
        id: agentId,
      }),
    ).toBeNull();
  });

  it('wakes every agent when a mission goes to To do, however it got there', () => {
    const available = { agentId: null, reason: 'available', missionId };
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionCreated', { missionId, column: TODO }),
        commander,
      ),
    ).toEqual(available);
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionMoved', { missionId, fromColumn: BACKLOG, toColumn: TODO }),
        commander,
      ),
    ).toEqual(available);
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionReleased', { missionId, agentId, toColumn: TODO }),
        commander,
      ),
    ).toEqual(available);
  });

  it('wakes no one for work that is not to be taken', () => {
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionMoved', { missionId, toColumn: DONE }),
        commander,
      ),
    ).toBeNull();
    // Written before missions had a column: created in the backlog.
    expect(
      wakeOfMissionEvent(domainEvent('mission.v1.MissionCreated', { missionId }), commander),
    ).toBeNull();
    expect(
      wakeOfMissionEvent(
        domainEvent('mission.v1.MissionReleased', { missionId, agentId, toColumn: IN_PROGRESS }),
        commander,
      ),
    ).toBeNull();
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
