import { agentV1, domainEvent } from '@mission-control/proto';
import { ALREADY_APPLIED, type EventMeta } from './event-meta';
import { evolveAgent, type AgentState } from './agent-state';

const ws = 'ws-1';
const t0 = new Date('2026-11-20T09:00:00Z');
const meta = (version: number, seconds: number): EventMeta => ({
  version,
  time: new Date(t0.getTime() + seconds * 1_000),
  workspaceId: ws,
});
const { AgentStatus } = agentV1;
const changed = (from: agentV1.AgentStatus, to: agentV1.AgentStatus) =>
  domainEvent('agent.v1.AgentStatusChanged', { agentId: 'a-1', fromStatus: from, toStatus: to });

describe('evolveAgent', () => {
  it('starts inactive at registration and writes a point per status change', () => {
    const registered = evolveAgent(
      null,
      domainEvent('agent.v1.AgentRegistered', { agentId: 'a-1', name: 'Scout' }),
      meta(1, 0),
    );
    if (registered === ALREADY_APPLIED) {
      throw new Error('unexpected');
    }
    expect(registered.state).toEqual({
      agentId: 'a-1',
      workspaceId: ws,
      status: 'inactive',
      since: t0,
      version: 1,
    });
    expect(registered.points).toEqual([]);

    const busy = evolveAgent(
      registered.state,
      changed(AgentStatus.INACTIVE, AgentStatus.BUSY),
      meta(3, 90),
    );
    if (busy === ALREADY_APPLIED) {
      throw new Error('unexpected');
    }
    expect(busy.state).toMatchObject({ status: 'busy', since: meta(3, 90).time, version: 3 });
    expect(busy.points).toEqual([
      {
        measurement: 'agent_status',
        tags: { workspace_id: ws, agent_id: 'a-1' },
        fields: { status: 'busy', previous_status: 'inactive', previous_seconds: 90 },
        timestamp: `${meta(3, 90).time.getTime()}000003`,
      },
    ]);
  });

  it('takes the previous status from the event when it never saw the agent', () => {
    const change = evolveAgent(null, changed(AgentStatus.IDLE, AgentStatus.OFFLINE), meta(5, 10));
    expect(change).toMatchObject({
      state: { status: 'offline' },
      points: [{ fields: { status: 'offline', previous_status: 'idle', previous_seconds: 0 } }],
    });
  });

  it('skips an event its state already reflects', () => {
    const state: AgentState = {
      agentId: 'a-1',
      workspaceId: ws,
      status: 'idle',
      since: t0,
      version: 4,
    };
    expect(evolveAgent(state, changed(AgentStatus.IDLE, AgentStatus.BUSY), meta(4, 1))).toBe(
      ALREADY_APPLIED,
    );
  });
});
