import type { AgentProfileFragment } from '../../graphql/generated';
import type { LiveEvent } from '../../lib/live/live-event';
import {
  agentPageEffect,
  applyRunningEvent,
  formatAgo,
  lastSeenAt,
  leaseLeft,
  runningByAgent,
  type RunningRun,
} from './agent-work-model';

const event = (
  type: string,
  data: Record<string, unknown>,
  subject: string,
  actor = 'user:u1',
): LiveEvent => ({
  id: `e-${type}`,
  type,
  subject,
  workspaceId: 'w1',
  time: '2025-03-03T12:00:00Z',
  actor,
  data,
  position: 'p',
});

const run = (
  id: string,
  agentId: string,
  startedAt: string,
  missionId = `m-${id}`,
): RunningRun => ({
  id,
  agentId,
  startedAt,
  mission: { id: missionId, title: `Mission of ${id}` },
});

describe('applyRunningEvent', () => {
  const runs = [run('r1', 'a1', '2025-03-03T11:00:00Z')];

  it('asks for a run that starts (for its mission) and drops one that ends', () => {
    expect(
      applyRunningEvent(
        runs,
        event('mission.v1.RunStarted', { runId: 'r2', missionId: 'm2', agentId: 'a2' }, 'run-r2'),
      ),
    ).toBe('refetch');
    expect(applyRunningEvent(runs, event('mission.v1.RunStarted', { runId: 'r1' }, 'run-r1'))).toBe(
      'unchanged',
    );
    expect(
      applyRunningEvent(runs, event('mission.v1.RunFinished', { runId: 'r1' }, 'run-r1')),
    ).toEqual([]);
    expect(
      applyRunningEvent(runs, event('mission.v1.RunFinished', { runId: 'r9' }, 'run-r9')),
    ).toBe('unchanged');
  });

  it('asks again when the title of a mission being run changes, and for nothing else', () => {
    expect(
      applyRunningEvent(
        runs,
        event('mission.v1.MissionUpdated', { missionId: 'm-r1', title: 'New' }, 'mission-m-r1'),
      ),
    ).toBe('refetch');
    expect(
      applyRunningEvent(
        runs,
        event('mission.v1.MissionUpdated', { missionId: 'mx' }, 'mission-mx'),
      ),
    ).toBe('unchanged');
    expect(applyRunningEvent(runs, event('agent.v1.AgentStatusChanged', {}, 'agent-a1'))).toBe(
      'unchanged',
    );
  });
});

describe('runningByAgent', () => {
  it('groups runs by agent, the oldest first', () => {
    const grouped = runningByAgent([
      run('r2', 'a1', '2025-03-03T11:30:00Z'),
      run('r3', 'a2', '2025-03-03T11:10:00Z'),
      run('r1', 'a1', '2025-03-03T11:00:00Z'),
    ]);
    expect(grouped.get('a1')?.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(grouped.get('a2')?.map((r) => r.id)).toEqual(['r3']);
    expect(grouped.get('a3')).toBeUndefined();
  });
});

describe('agentPageEffect', () => {
  const scout: AgentProfileFragment = {
    id: 'a1',
    name: 'Scout',
    role: 'specialist',
    model: 'm',
    provider: 'p',
    capabilities: ['code'],
    status: 'IDLE',
    activity: null,
    lastHeartbeatAt: '2025-03-03T11:00:00Z',
    parentId: null,
    expiresAt: null,
    parent: null,
    children: [],
  };
  const holds = { missionIds: new Set(['m1']), runIds: new Set(['r1']) };
  const effect = (live: LiveEvent) => agentPageEffect(scout, holds, live);

  it('reads the agent again when one of its sub-agents is spawned or ended', () => {
    for (const type of ['agent.v1.SubAgentSpawned', 'agent.v1.SubAgentEnded']) {
      const child = {
        id: 'e9',
        type,
        subject: 'agent-c1',
        workspaceId: 'w1',
        time: '2025-03-03T12:00:00Z',
        actor: 'agent:a1',
        data: { agentId: 'c1', parentAgentId: 'a1' },
        position: 'p',
      };
      expect(effect(child).profile).toBe('refetch');
      expect(effect({ ...child, data: { agentId: 'c1', parentAgentId: 'a2' } }).profile).toBeNull();
    }
  });

  it('patches the agent from its own status changes only', () => {
    const busy = effect(
      event(
        'agent.v1.AgentStatusChanged',
        {
          agentId: 'a1',
          toStatus: 'AGENT_STATUS_BUSY',
          activity: 'Reviewing',
          reason: 'AGENT_STATUS_CHANGE_REASON_HEARTBEAT',
        },
        'agent-a1',
        'agent:a1',
      ),
    );
    expect(busy.profile).toEqual({
      ...scout,
      status: 'BUSY',
      activity: 'Reviewing',
      lastHeartbeatAt: '2025-03-03T12:00:00Z',
    });
    expect(busy.seenAt).toBe('2025-03-03T12:00:00Z');
    expect(
      effect(event('agent.v1.AgentUpdated', { agentId: 'a1', name: 'Scout II' }, 'agent-a1'))
        .profile,
    ).toBe('refetch');
    expect(
      effect(event('agent.v1.AgentStatusChanged', { agentId: 'a2' }, 'agent-a2')).profile,
    ).toBeNull();
  });

  it('reads its work again when it starts, claims, gives back or ends something', () => {
    const started = effect(
      event(
        'mission.v1.RunStarted',
        { runId: 'r2', missionId: 'm2', agentId: 'a1' },
        'run-r2',
        'agent:a1',
      ),
    );
    expect(started).toMatchObject({ claims: true, runs: true, seenAt: '2025-03-03T12:00:00Z' });
    expect(
      effect(event('mission.v1.RunFinished', { runId: 'r1' }, 'run-r1', 'system:mission-leases')),
    ).toEqual({ profile: null, claims: true, runs: true, seenAt: null });
    expect(effect(event('mission.v1.RunUsageReported', { runId: 'r1' }, 'run-r1'))).toMatchObject({
      claims: false,
      runs: true,
    });
    expect(
      effect(event('mission.v1.MissionClaimed', { missionId: 'm3', agentId: 'a1' }, 'mission-m3')),
    ).toMatchObject({ claims: true, runs: false });
    expect(
      effect(
        event(
          'mission.v1.MissionReleased',
          { missionId: 'm1', agentId: 'a1', reason: 'RELEASE_REASON_LEASE_EXPIRED' },
          'mission-m1',
        ),
      ),
    ).toMatchObject({ claims: true });
    // Reassigning a mission it holds ends its claim, whoever it goes to.
    expect(
      effect(event('mission.v1.MissionAssigned', { missionId: 'm1', agentId: 'a2' }, 'mission-m1')),
    ).toMatchObject({ claims: true });
    expect(
      effect(event('mission.v1.MissionUpdated', { missionId: 'm1', title: 'x' }, 'mission-m1')),
    ).toMatchObject({ claims: true });
  });

  it('ignores other agents’ work', () => {
    const none = { profile: null, claims: false, runs: false, seenAt: null };
    expect(
      effect(event('mission.v1.RunStarted', { runId: 'r5', agentId: 'a2' }, 'run-r5', 'agent:a2')),
    ).toEqual(none);
    expect(effect(event('mission.v1.RunFinished', { runId: 'r5' }, 'run-r5'))).toEqual(none);
    expect(
      effect(event('mission.v1.MissionClaimed', { missionId: 'm5', agentId: 'a2' }, 'mission-m5')),
    ).toEqual(none);
    expect(effect(event('mission.v1.MissionMoved', { missionId: 'm5' }, 'mission-m5'))).toEqual(
      none,
    );
  });
});

describe('lastSeenAt', () => {
  it('is the later of its heartbeat and what it was seen doing', () => {
    expect(lastSeenAt('2025-03-03T11:00:00Z', '2025-03-03T12:00:00Z')).toBe('2025-03-03T12:00:00Z');
    expect(lastSeenAt('2025-03-03T11:00:00Z', '2025-03-03T10:00:00Z')).toBe('2025-03-03T11:00:00Z');
    expect(lastSeenAt(null, '2025-03-03T10:00:00Z')).toBe('2025-03-03T10:00:00Z');
    expect(lastSeenAt(null, null)).toBeNull();
  });
});

describe('formatAgo', () => {
  const at = '2025-03-03T12:00:00Z';
  const after = (seconds: number) => Date.parse(at) + seconds * 1000;
  it('counts seconds, minutes, hours and days', () => {
    expect(formatAgo(at, after(2))).toBe('just now');
    expect(formatAgo(at, after(42))).toBe('42 s ago');
    expect(formatAgo(at, after(5 * 60 + 10))).toBe('5 min ago');
    expect(formatAgo(at, after(3 * 3600))).toBe('3 h ago');
    expect(formatAgo(at, after(4 * 86400))).toBe('4 days ago');
    // A clock a little ahead of the server's is not "in the future".
    expect(formatAgo(at, after(-3))).toBe('just now');
  });
});

describe('leaseLeft', () => {
  const expires = '2025-03-03T12:05:00Z';
  const before = (seconds: number) => Date.parse(expires) - seconds * 1000;
  it('counts down in minutes and seconds, and says when it ran out', () => {
    expect(leaseLeft(expires, before(299.2))).toEqual({
      text: '5:00',
      lapsed: false,
      seconds: 300,
    });
    expect(leaseLeft(expires, before(61))).toEqual({ text: '1:01', lapsed: false, seconds: 61 });
    expect(leaseLeft(expires, before(9))).toEqual({ text: '0:09', lapsed: false, seconds: 9 });
    expect(leaseLeft(expires, before(-2))).toEqual({ text: '0:00', lapsed: true, seconds: 0 });
    expect(leaseLeft(expires, before(2 * 3600 + 120)).text).toBe('2 h 02 min');
  });
});
