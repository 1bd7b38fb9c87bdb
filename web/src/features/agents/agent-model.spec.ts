import type { LiveEvent } from '../../lib/live/live-event';
import { applyAgentEvent, type RosterAgent } from './agent-model';

const scout: RosterAgent = {
  id: 'a1',
  name: 'Scout',
  role: 'specialist',
  model: 'm',
  provider: 'p',
  status: 'IDLE',
  activity: null,
  lastHeartbeatAt: null,
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
