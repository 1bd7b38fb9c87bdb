import { agentV1, type DomainEvent } from '@mission-control/proto';
import { assertNever } from '../common/board-column';
import {
  AGENT_STATUS_MEASUREMENT,
  pointTimestamp,
  type MetricPoint,
} from '../metrics/metric-points';
import type { AgentStatus } from '../metrics/status-timeline';
import { ALREADY_APPLIED, type EventMeta } from './event-meta';

/** The agent events the metrics need; the others change nothing they show. */
export type AgentEvent = Extract<
  DomainEvent,
  { type: 'agent.v1.AgentRegistered' | 'agent.v1.AgentStatusChanged' }
>;

/** An agent's status and since when, as the projections last saw it. */
export type AgentState = {
  agentId: string;
  workspaceId: string;
  status: AgentStatus;
  since: Date;
  version: number;
};

export type AgentChange = { state: AgentState; points: MetricPoint[] };

const { AgentStatus: ProtoStatus } = agentV1;

export function statusOf(status: agentV1.AgentStatus): AgentStatus {
  switch (status) {
    case ProtoStatus.INACTIVE:
      return 'inactive';
    case ProtoStatus.IDLE:
      return 'idle';
    case ProtoStatus.BUSY:
      return 'busy';
    case ProtoStatus.OFFLINE:
      return 'offline';
    case ProtoStatus.ERROR:
      return 'error';
    case ProtoStatus.UNSPECIFIED:
      throw new Error('An agent status change without a status');
    default:
      return assertNever(status);
  }
}

/** An agent event applied to the state it found: the new state and the points to write. */
export function evolveAgent(
  state: AgentState | null,
  event: AgentEvent,
  meta: EventMeta,
): AgentChange | typeof ALREADY_APPLIED {
  if (state !== null && meta.version <= state.version) {
    return ALREADY_APPLIED;
  }
  const agentId = event.data.agentId;
  // An agent starts inactive; a stream seen from the middle starts from what it says.
  const current: AgentState = state ?? {
    agentId,
    workspaceId: meta.workspaceId,
    status: 'inactive',
    since: meta.time,
    version: 0,
  };
  switch (event.type) {
    case 'agent.v1.AgentStatusChanged': {
      const status = statusOf(event.data.toStatus);
      const previous: AgentStatus = state
        ? state.status
        : event.data.fromStatus === ProtoStatus.UNSPECIFIED
          ? 'inactive'
          : statusOf(event.data.fromStatus);
      const previousSeconds = state ? (meta.time.getTime() - state.since.getTime()) / 1_000 : 0;
      return {
        state: { ...current, status, since: meta.time, version: meta.version },
        points: [
          {
            measurement: AGENT_STATUS_MEASUREMENT,
            tags: { workspace_id: current.workspaceId, agent_id: agentId },
            fields: { status, previous_status: previous, previous_seconds: previousSeconds },
            timestamp: pointTimestamp(meta.time, meta.version),
          },
        ],
      };
    }
    case 'agent.v1.AgentRegistered':
      return { state: { ...current, version: meta.version }, points: [] };
    default: {
      const unexpected: never = event;
      throw new Error(`Unhandled agent event ${(unexpected as { type: string }).type}`);
    }
  }
}
