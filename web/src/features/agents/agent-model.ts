import type { AgentStatus, RosterAgentFragment } from '../../graphql/generated';
import { entityIdOf, enumValue, type LiveEvent } from '../../lib/live/live-event';

export type RosterAgent = RosterAgentFragment;

export const AGENT_STATUSES: readonly AgentStatus[] = [
  'INACTIVE',
  'IDLE',
  'BUSY',
  'OFFLINE',
  'ERROR',
];

export const STATUS_NAMES: Record<AgentStatus, string> = {
  INACTIVE: 'Inactive',
  IDLE: 'Idle',
  BUSY: 'Busy',
  OFFLINE: 'Offline',
  ERROR: 'Error',
};

/** The roster after a live agent event; `refetch` for an agent it does not hold or a new type. */
export function applyAgentEvent<A extends RosterAgent>(
  agents: A[],
  event: LiveEvent,
): A[] | 'refetch' | 'unchanged' {
  if (!event.type.startsWith('agent.v1.')) {
    return 'unchanged';
  }
  const data = event.data ?? {};
  const agentId = entityIdOf(event, 'agent');
  const index = agents.findIndex((agent) => agent.id === agentId);
  switch (event.type) {
    case 'agent.v1.AgentStatusChanged': {
      const status = enumValue(data.toStatus, 'AGENT_STATUS_', AGENT_STATUSES);
      if (index < 0 || status === null) {
        return 'refetch';
      }
      const next = [...agents];
      next[index] = {
        ...agents[index]!,
        status,
        // Protobuf JSON leaves out an empty activity: the agent reports none.
        activity: typeof data.activity === 'string' && data.activity !== '' ? data.activity : null,
        lastHeartbeatAt:
          data.reason === 'AGENT_STATUS_CHANGE_REASON_HEARTBEAT'
            ? event.time
            : agents[index]!.lastHeartbeatAt,
      };
      return next;
    }
    // Keys, and runtime hosts (a sample every 15 s per host), change nothing the roster shows.
    case 'agent.v1.AgentKeyIssued':
    case 'agent.v1.AgentKeyRevoked':
    case 'agent.v1.HostRegistered':
    case 'agent.v1.HostUpdated':
    case 'agent.v1.AgentPlacedOnHost':
    case 'agent.v1.HostSampled':
    case 'agent.v1.HostRemoved':
      return 'unchanged';
    default:
      // Registered, updated, activated, deactivated: the roster reads the agent again.
      return 'refetch';
  }
}
