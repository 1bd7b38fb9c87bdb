import { wakeOfMission, type MissionWakeFacts } from './wake-rule';

const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const facts = (overrides: Partial<MissionWakeFacts>): MissionWakeFacts => ({
  type: 'mission.v1.MissionMoved',
  missionId,
  landsInTodo: false,
  ...overrides,
});

describe('who a mission event wakes', () => {
  it('wakes the agent a mission is assigned to, and no one when it is unassigned', () => {
    const assigned = { type: 'mission.v1.MissionAssigned' };
    expect(wakeOfMission(facts({ ...assigned, assigneeId: 'agent-1' }))).toEqual({
      agentId: 'agent-1',
      wake: { reason: 'assigned', missionId },
    });
    expect(wakeOfMission(facts({ ...assigned, assigneeId: '' }))).toBeNull();
    expect(wakeOfMission(facts(assigned))).toBeNull();
  });

  it('wakes no one for a mission an agent took itself: it is awake and at work', () => {
    expect(
      wakeOfMission(
        facts({
          type: 'mission.v1.MissionAssigned',
          assigneeId: 'agent-1',
          actorAgentId: 'agent-1',
        }),
      ),
    ).toBeNull();
  });

  it('wakes every agent when a mission lands in To do, however it got there', () => {
    for (const type of [
      'mission.v1.MissionCreated',
      'mission.v1.MissionMoved',
      'mission.v1.MissionReleased',
    ]) {
      expect(wakeOfMission(facts({ type, landsInTodo: true }))).toEqual({
        agentId: null,
        wake: { reason: 'available', missionId },
      });
      expect(wakeOfMission(facts({ type, landsInTodo: false }))).toBeNull();
    }
  });

  it('wakes for a mission in To do whose last blocker is done: its assignee, else every agent', () => {
    const ready = { type: 'mission.v1.MissionBecameReady', landsInTodo: true };
    expect(wakeOfMission(facts(ready))).toEqual({
      agentId: null,
      wake: { reason: 'available', missionId },
    });
    expect(wakeOfMission(facts({ ...ready, assigneeId: 'agent-1' }))).toEqual({
      agentId: 'agent-1',
      wake: { reason: 'assigned', missionId },
    });
    expect(
      wakeOfMission(facts({ ...ready, assigneeId: 'agent-1', actorAgentId: 'agent-1' })),
    ).toBeNull();
    expect(wakeOfMission(facts({ ...ready, landsInTodo: false }))).toBeNull();
    expect(wakeOfMission(facts({ ...ready, landsInTodo: false, assigneeId: 'a' }))).toBeNull();
  });

  it('wakes no one for other events, or without a mission', () => {
    expect(wakeOfMission(facts({ type: 'mission.v1.CommentAdded', landsInTodo: true }))).toBeNull();
    expect(wakeOfMission(facts({ missionId: '', landsInTodo: true }))).toBeNull();
  });
});
