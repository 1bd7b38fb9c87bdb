import { agentV1 } from '@mission-control/proto';

export const AGENT_STATUSES = ['inactive', 'idle', 'busy', 'offline', 'error'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const isAgentStatus = (value: string): value is AgentStatus =>
  (AGENT_STATUSES as readonly string[]).includes(value);

const TO_PROTO: Readonly<Record<AgentStatus, agentV1.AgentStatus>> = {
  inactive: agentV1.AgentStatus.INACTIVE,
  idle: agentV1.AgentStatus.IDLE,
  busy: agentV1.AgentStatus.BUSY,
  offline: agentV1.AgentStatus.OFFLINE,
  error: agentV1.AgentStatus.ERROR,
};

export const toProtoStatus = (status: AgentStatus): agentV1.AgentStatus => TO_PROTO[status];

export function fromProtoStatus(status: agentV1.AgentStatus): AgentStatus {
  const found = AGENT_STATUSES.find((candidate) => TO_PROTO[candidate] === status);
  if (!found) {
    throw new Error(`Unknown agent status in an event: ${status}`);
  }
  return found;
}

/** Statuses of an agent in service, whose heartbeats are expected. */
export const PRESENT_STATUSES: readonly AgentStatus[] = ['idle', 'busy', 'error'];
