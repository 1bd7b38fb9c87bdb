import type { LiveEvent } from '../../lib/live/live-event';
import { applyAgentEvent, expiryText, type RosterAgent, rosterTree } from './agent-model';

const scout: RosterAgent = {
  id: 'a1',
  name: 'Scout',
  role: 'specialist',
  model: 'm',
  provider: 'p',
  status: 'IDLE',
  activity: null,
  lastHeartbeatAt: null,
  parentId: null,
  expiresAt: null,
};

const event = (type: string, data: Record<string, unknown>, subject = 'a1'): LiveEvent => ({
  id: 'e1',
  type,
  subject: `agent-${subject}`,
  workspaceId: 'w1',
  time: '2025-03-03T12:00:00Z',
  actor: 'agent:a1',
  data,
  position: 'p',
});

describe('applyAgentEvent', () => {
  it('shows the new status and activity from a heartbeat', () => {
    const next = applyAgentEvent(
      [scout],
      event('agent.v1.AgentStatusChanged', {
        agentId: 'a1',
        fromStatus: 'AGENT_STATUS_IDLE',
        toStatus: 'AGENT_STATUS_BUSY',
        activity: 'Reviewing PR 42',
        reason: 'AGENT_STATUS_CHANGE_REASON_HEARTBEAT',
      }),
    );
    expect(next).toEqual([
      {
        ...scout,
        status: 'BUSY',
        activity: 'Reviewing PR 42',
        lastHeartbeatAt: '2025-03-03T12:00:00Z',
      },
    ]);
  });

  it('clears the activity when the agent goes offline', () => {
    const busy = { ...scout, status: 'BUSY' as const, activity: 'Working' };
    const next = applyAgentEvent(
      [busy],
      event('agent.v1.AgentStatusChanged', {
        agentId: 'a1',
        toStatus: 'AGENT_STATUS_OFFLINE',
        reason: 'AGENT_STATUS_CHANGE_REASON_HEARTBEAT_EXPIRED',
      }),
    );
    expect(next).toEqual([{ ...busy, status: 'OFFLINE', activity: null }]);
  });

  it('leaves the roster alone for runtime host events, samples included', () => {
    for (const type of [
      'agent.v1.HostSampled',
      'agent.v1.AgentPlacedOnHost',
      'agent.v1.HostRemoved',
    ]) {
      expect(applyAgentEvent([scout], event(type, { hostId: 'h1', agentId: 'a1' }, 'h1'))).toBe(
        'unchanged',
      );
    }
  });

  it('reads the roster again for agents it does not hold and other agent events', () => {
    expect(
      applyAgentEvent(
        [scout],
        event(
          'agent.v1.AgentStatusChanged',
          { agentId: 'zz', toStatus: 'AGENT_STATUS_BUSY' },
          'zz',
        ),
      ),
    ).toBe('refetch');
    expect(
      applyAgentEvent([scout], event('agent.v1.AgentRegistered', { agentId: 'a2' }, 'a2')),
    ).toBe('refetch');
    expect(applyAgentEvent([scout], event('mission.v1.MissionMoved', {}))).toBe('unchanged');
  });
});

describe('rosterTree', () => {
  const agent = (id: string, name: string, more: Partial<RosterAgent> = {}): RosterAgent => ({
    ...scout,
    id,
    name,
    ...more,
  });
  const lead = agent('l', 'Lead');
  const atlas = agent('a', 'Atlas');
  const live = agent('c1', 'Zed', { parentId: 'l', expiresAt: '2025-03-03T12:10:00Z' });
  const ended = agent('c2', 'Bee', { parentId: 'l', status: 'INACTIVE' });
  const orphan = agent('c3', 'Orphan', { parentId: 'gone' });
  const view = (rows: ReturnType<typeof rosterTree>) =>
    rows.map((row) => `${'  '.repeat(row.depth)}${row.agent.name} ${row.children}`);

  it('puts each sub-agent under its parent, those in service first; a lone one stands alone', () => {
    expect(view(rosterTree([ended, live, lead, orphan, atlas]))).toEqual([
      'Atlas 0',
      'Lead 2',
      '  Zed 0',
      '  Bee 0',
      'Orphan 0',
    ]);
  });

  it('hides the sub-agents of a collapsed parent, still counting them', () => {
    expect(view(rosterTree([lead, live, ended], new Set(['l'])))).toEqual(['Lead 2']);
  });
});

describe('expiryText', () => {
  const now = Date.parse('2025-03-03T12:00:00Z');
  const at = (seconds: number) => new Date(now + seconds * 1000).toISOString();

  it('counts down the time a sub-agent has left, and says when it ended', () => {
    expect(expiryText({ status: 'IDLE', expiresAt: at(42) }, now)).toBe('expires in 42 s');
    expect(expiryText({ status: 'BUSY', expiresAt: at(600) }, now)).toBe('expires in 10 min');
    expect(expiryText({ status: 'IDLE', expiresAt: at(3_900) }, now)).toBe('expires in 1 h 5 min');
    expect(expiryText({ status: 'IDLE', expiresAt: at(-1) }, now)).toBe('ended');
    expect(expiryText({ status: 'INACTIVE', expiresAt: at(600) }, now)).toBe('ended');
    expect(expiryText({ status: 'IDLE', expiresAt: null }, now)).toBe('');
  });
});
