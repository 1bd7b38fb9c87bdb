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

/** One row of the roster's tree: an agent, how deep it sits, and its sub-agents under it. */
export type RosterRow<A extends RosterAgent> = { agent: A; depth: number; children: number };

/**
 * The roster as a tree: agents a person registered by name, each followed by its sub-agents
 * (those in service first, then by name), unless its id is in `collapsed`. A sub-agent whose
 * parent is not listed stands on its own.
 */
export function rosterTree<A extends RosterAgent>(
  agents: readonly A[],
  collapsed: ReadonlySet<string> = new Set(),
): RosterRow<A>[] {
  const ids = new Set(agents.map((agent) => agent.id));
  const childrenOf = new Map<string, A[]>();
  const roots: A[] = [];
  for (const agent of agents) {
    if (agent.parentId && ids.has(agent.parentId) && agent.parentId !== agent.id) {
      childrenOf.set(agent.parentId, [...(childrenOf.get(agent.parentId) ?? []), agent]);
    } else {
      roots.push(agent);
    }
  }
  const byName = (a: A, b: A) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  const ended = (agent: A) => (agent.status === 'INACTIVE' ? 1 : 0);
  const rows: RosterRow<A>[] = [];
  for (const root of [...roots].sort(byName)) {
    const children = [...(childrenOf.get(root.id) ?? [])].sort(
      (a, b) => ended(a) - ended(b) || byName(a, b),
    );
    rows.push({ agent: root, depth: 0, children: children.length });
    if (!collapsed.has(root.id)) {
      rows.push(...children.map((child) => ({ agent: child, depth: 1, children: 0 })));
    }
  }
  return rows;
}

/** "expires in 4 min" for a sub-agent in service; "ended" once it stopped or its time ran out. */
export function expiryText(agent: Pick<RosterAgent, 'status' | 'expiresAt'>, now: number): string {
  if (!agent.expiresAt) {
    return '';
  }
  const seconds = Math.ceil((Date.parse(agent.expiresAt) - now) / 1000);
  if (agent.status === 'INACTIVE' || seconds <= 0) {
    return 'ended';
  }
  if (seconds < 60) {
    return `expires in ${seconds} s`;
  }
  const minutes = Math.round(seconds / 60);
  return minutes < 60
    ? `expires in ${minutes} min`
    : `expires in ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
