import type { Principal } from '@mission-control/auth';
import { createEnvelope, encodeEvent, newEventId, toKafkaHeaders } from '@mission-control/proto';
import { audienceOf, canSee, liveEventOf, reaches, wakeOf, watchedStreams } from './live-event';

const principal = (workspaceId: string | null, role: Principal['role']): Principal => ({
  kind: 'user',
  subject: 'u1',
  workspaceId,
  role,
  scopes: null,
});

describe('live events', () => {
  it('shows members their workspace only, and invitations and API keys to admins only', () => {
    const mission = { workspaceId: 'w1', type: 'mission.v1.MissionMoved' };
    const invite = { workspaceId: 'w1', type: 'identity.v1.MemberInvited' };
    expect(canSee(principal('w1', 'viewer'), mission)).toBe(true);
    expect(canSee(principal('w2', 'admin'), mission)).toBe(false);
    expect(canSee(principal(null, null), mission)).toBe(false);
    expect(canSee(principal('w1', 'viewer'), invite)).toBe(false);
    expect(canSee(principal('w1', 'mission_commander'), invite)).toBe(false);
    expect(canSee(principal('w1', 'admin'), invite)).toBe(true);
    expect(audienceOf('identity.v1.ApiKeyIssued')).toBe('admins');
    expect(audienceOf('agent.v1.AgentKeyIssued')).toBe('admins');
    expect(audienceOf('agent.v1.AgentStatusChanged')).toBe('members');
  });

  it('turns a Kafka record into JSON the browser can use', () => {
    const envelope = createEnvelope({
      id: newEventId(),
      type: 'mission.v1.MissionCreated',
      source: 'mission',
      subject: 'mission-1',
      workspaceId: 'w1',
      actor: { kind: 'user', id: 'u1' },
      correlationId: 'c1',
      causationId: null,
      streamVersion: 1,
    });
    const value = Buffer.from(
      encodeEvent('mission.v1.MissionCreated', { missionId: 'mission-1', title: 'Ship it' }),
    );
    expect(liveEventOf(toKafkaHeaders(envelope), value)).toMatchObject({
      id: envelope.id,
      type: 'mission.v1.MissionCreated',
      subject: 'mission-1',
      workspaceId: 'w1',
      actor: 'user:u1',
      data: { missionId: 'mission-1', title: 'Ship it' },
    });
  });

  it('refuses a record without an envelope', () => {
    expect(() => liveEventOf({}, Buffer.alloc(0))).toThrow(/envelope/);
  });
});

describe('watched-only events', () => {
  const run = 'run-0193a0c4-0000-7000-8000-0000000000e1';

  it('sends a run’s log chunks only to its watchers, and everything else to all', () => {
    const chunk = { type: 'mission.v1.RunLogAppended', subject: run };
    expect(reaches(chunk, new Set())).toBe(false);
    expect(reaches(chunk, new Set([run]))).toBe(true);
    expect(reaches({ type: 'mission.v1.RunFinished', subject: run }, new Set())).toBe(true);
  });

  it('takes up to ten runs to watch, and refuses anything else', () => {
    expect(watchedStreams(undefined)).toEqual(new Set());
    expect(watchedStreams([run])).toEqual(new Set([run]));
    for (const bad of ['run-1', [run, 'mission-1'], [7], Array.from({ length: 11 }, () => run)]) {
      expect(() => watchedStreams(bad)).toThrow(/auth\.watch/);
    }
  });
});

describe('wakes', () => {
  const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
  const actor = 'user:0193a0c4-0000-7000-8000-0000000000u1';

  // The rule is wakeOfMission's (libs/live-protocol); this reads it off the pushed JSON.
  it('reads the assignee, the agent who acted and the column off the event', () => {
    const assigned = { type: 'mission.v1.MissionAssigned', data: { missionId, agentId: 'a-1' } };
    expect(wakeOf({ ...assigned, actor })).toEqual({
      agentId: 'a-1',
      wake: { reason: 'assigned', missionId },
    });
    expect(wakeOf({ ...assigned, actor: 'agent:a-1' })).toBeNull();
    const available = { agentId: null, wake: { reason: 'available', missionId } };
    expect(
      wakeOf({
        actor,
        type: 'mission.v1.MissionMoved',
        data: { missionId, toColumn: 'BOARD_COLUMN_TODO' },
      }),
    ).toEqual(available);
    expect(
      wakeOf({
        actor,
        type: 'mission.v1.MissionCreated',
        data: { missionId, column: 'BOARD_COLUMN_TODO' },
      }),
    ).toEqual(available);
    expect(
      wakeOf({
        actor,
        type: 'mission.v1.MissionMoved',
        data: { missionId, toColumn: 'BOARD_COLUMN_DONE' },
      }),
    ).toBeNull();
    expect(wakeOf({ actor, type: 'mission.v1.MissionMoved', data: null })).toBeNull();
    const ready = { actor, type: 'mission.v1.MissionBecameReady' };
    expect(wakeOf({ ...ready, data: { missionId, column: 'BOARD_COLUMN_TODO' } })).toEqual(
      available,
    );
    expect(
      wakeOf({
        ...ready,
        data: { missionId, column: 'BOARD_COLUMN_TODO', assigneeAgentId: 'a-1' },
      }),
    ).toEqual({ agentId: 'a-1', wake: { reason: 'assigned', missionId } });
    expect(wakeOf({ ...ready, data: { missionId, column: 'BOARD_COLUMN_BACKLOG' } })).toBeNull();
  });
});
