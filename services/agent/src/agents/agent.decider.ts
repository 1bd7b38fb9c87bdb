import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { agentV1, domainEvent, type DomainEvent } from '@mission-control/proto';
import type { AgentCommand } from './agent.commands';
import { fromProtoStatus, PRESENT_STATUSES, toProtoStatus, type AgentStatus } from './agent-status';

export type AgentEvent = Extract<
  DomainEvent,
  {
    type:
      | 'agent.v1.AgentRegistered'
      | 'agent.v1.AgentUpdated'
      | 'agent.v1.AgentActivated'
      | 'agent.v1.AgentDeactivated'
      | 'agent.v1.AgentStatusChanged'
      | 'agent.v1.AgentKeyIssued'
      | 'agent.v1.AgentKeyRevoked'
      | 'agent.v1.AgentWakeHookSet'
      | 'agent.v1.AgentWakeHookRemoved'
      | 'agent.v1.SubAgentSpawned'
      | 'agent.v1.SubAgentEnded';
  }
>;

export type AgentProfile = {
  name: string;
  role: string;
  capabilities: readonly string[];
  configJson: string;
  model: string;
  provider: string;
};

export type AgentState = {
  status: 'none' | AgentStatus;
  profile: AgentProfile;
  /** The agent's working credential, if it has one. */
  keyId: string | null;
  /** Where the agent is woken over HTTP, if anywhere. */
  wakeHookUrl: string | null;
  /** A sub-agent's parent (PRODUCT A4); null for an agent registered by a person. */
  parentAgentId: string | null;
  /** When a sub-agent's time to live ends, in Unix milliseconds. */
  expiresAtUnixMs: number | null;
};

export const agentStreamId = (agentId: string): string => `agent-${agentId}`;

const Reason = agentV1.AgentStatusChangeReason;

function requireRegistered(state: AgentState): asserts state is AgentState & {
  status: AgentStatus;
} {
  if (state.status === 'none') {
    throw AppError.notFound('Agent');
  }
}

const sameProfile = (a: AgentProfile, b: AgentProfile): boolean =>
  a.name === b.name &&
  a.role === b.role &&
  a.configJson === b.configJson &&
  a.model === b.model &&
  a.provider === b.provider &&
  a.capabilities.length === b.capabilities.length &&
  a.capabilities.every((capability, index) => b.capabilities[index] === capability);

// A deactivated agent loses its key, and a new key replaces the old one: one working key at most.
const revokeKey = (agentId: string, state: AgentState) =>
  state.keyId ? [domainEvent('agent.v1.AgentKeyRevoked', { agentId, keyId: state.keyId })] : [];

const statusChanged = (
  agentId: string,
  from: AgentStatus,
  to: AgentStatus,
  reason: agentV1.AgentStatusChangeReason,
  activity = '',
) =>
  domainEvent('agent.v1.AgentStatusChanged', {
    agentId,
    fromStatus: toProtoStatus(from),
    toStatus: toProtoStatus(to),
    activity,
    reason,
  });

/**
 * The agent aggregate (stream `agent-<id>`): its profile and its status. Every status change is an
 * AgentStatusChanged event; a heartbeat that reports the status the agent already has is none.
 */
export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = {
  initialState: {
    status: 'none',
    profile: { name: '', role: '', capabilities: [], configJson: '{}', model: '', provider: '' },
    keyId: null,
    wakeHookUrl: null,
    parentAgentId: null,
    expiresAtUnixMs: null,
  },

  decide(command, state) {
    const { actor } = command;
    const { agentId } = command.data;
    switch (command.type) {
      case 'RegisterAgent': {
        if (state.status !== 'none') {
          throw AppError.conflict('This agent already exists', { agentId });
        }
        const { name, role, capabilities, config, model, provider } = command.data;
        return [
          domainEvent('agent.v1.AgentRegistered', {
            agentId,
            name,
            role,
            capabilities,
            configJson: config,
            model,
            provider,
          }),
        ];
      }

      case 'SpawnSubAgent': {
        // A running agent spawns for itself only; the service checked it is active and no sub-agent.
        if (actor.kind !== 'agent' || actor.id !== command.data.parentAgentId) {
          throw AppError.forbidden('Only a running agent can spawn a sub-agent, for itself');
        }
        if (state.status !== 'none') {
          throw AppError.conflict('This agent already exists', { agentId });
        }
        const { parentAgentId, name, role, capabilities, config, model, provider } = command.data;
        const { expiresAtUnixMs, keyId, prefix, secretSha256 } = command.data;
        const expiresAt = BigInt(expiresAtUnixMs);
        return [
          domainEvent('agent.v1.AgentRegistered', {
            agentId,
            name,
            role,
            capabilities,
            configJson: config,
            model,
            provider,
          }),
          domainEvent('agent.v1.SubAgentSpawned', {
            agentId,
            parentAgentId,
            expiresAtUnixMs: expiresAt,
          }),
          domainEvent('agent.v1.AgentActivated', { agentId }),
          statusChanged(agentId, 'inactive', 'idle', Reason.ACTIVATED),
          domainEvent('agent.v1.AgentKeyIssued', {
            agentId,
            keyId,
            prefix,
            secretSha256,
            expiresAtUnixMs: expiresAt,
          }),
        ];
      }

      case 'EndSubAgent': {
        if (actor.kind !== 'system') {
          throw AppError.forbidden('Only the server ends sub-agents');
        }
        requireRegistered(state);
        if (state.parentAgentId === null) {
          throw AppError.conflict('This agent is no sub-agent', { agentId });
        }
        if (state.status === 'inactive') {
          return [];
        }
        return [
          domainEvent('agent.v1.SubAgentEnded', {
            agentId,
            parentAgentId: state.parentAgentId,
            reason:
              command.data.reason === 'expired'
                ? agentV1.SubAgentEndReason.EXPIRED
                : agentV1.SubAgentEndReason.PARENT_STOPPED,
          }),
          domainEvent('agent.v1.AgentDeactivated', { agentId }),
          statusChanged(agentId, state.status, 'inactive', Reason.DEACTIVATED),
          ...revokeKey(agentId, state),
        ];
      }

      case 'UpdateAgent': {
        requireRegistered(state);
        const current = state.profile;
        const next: AgentProfile = {
          name: command.data.name ?? current.name,
          role: command.data.role ?? current.role,
          capabilities: command.data.capabilities ?? current.capabilities,
          configJson: command.data.config ?? current.configJson,
          model: command.data.model ?? current.model,
          provider: command.data.provider ?? current.provider,
        };
        if (sameProfile(current, next)) {
          return [];
        }
        return [
          domainEvent('agent.v1.AgentUpdated', {
            agentId,
            ...next,
            capabilities: [...next.capabilities],
          }),
        ];
      }

      case 'ActivateAgent':
        requireRegistered(state);
        if (state.parentAgentId !== null && state.status === 'inactive') {
          throw AppError.conflict('A sub-agent that was stopped cannot be activated again', {
            agentId,
          });
        }
        if (state.status !== 'inactive') {
          return [];
        }
        return [
          domainEvent('agent.v1.AgentActivated', { agentId }),
          statusChanged(agentId, 'inactive', 'idle', Reason.ACTIVATED),
        ];

      case 'DeactivateAgent':
        requireRegistered(state);
        if (state.status === 'inactive') {
          return [];
        }
        return [
          domainEvent('agent.v1.AgentDeactivated', { agentId }),
          statusChanged(agentId, state.status, 'inactive', Reason.DEACTIVATED),
          ...revokeKey(agentId, state),
        ];

      case 'IssueAgentKey': {
        requireRegistered(state);
        if (state.parentAgentId !== null) {
          throw AppError.conflict('A sub-agent has only the key it was spawned with', { agentId });
        }
        const { keyId, prefix, secretSha256 } = command.data;
        return [
          ...revokeKey(agentId, state),
          domainEvent('agent.v1.AgentKeyIssued', { agentId, keyId, prefix, secretSha256 }),
        ];
      }

      case 'SetAgentWakeHook':
        requireRegistered(state);
        // Setting the same URL again is a rotation: a new secret, recorded as a new event.
        return [domainEvent('agent.v1.AgentWakeHookSet', { agentId, url: command.data.url })];

      case 'RemoveAgentWakeHook':
        requireRegistered(state);
        return state.wakeHookUrl === null
          ? []
          : [domainEvent('agent.v1.AgentWakeHookRemoved', { agentId })];

      case 'ReportStatus':
        // An agent speaks for itself only.
        if (actor.kind !== 'agent' || actor.id !== agentId) {
          throw AppError.forbidden('An agent can only send its own heartbeats');
        }
        requireRegistered(state);
        if (state.status === 'inactive') {
          throw AppError.conflict('This agent is not active; activate it first', { agentId });
        }
        if (state.status === command.data.status) {
          return [];
        }
        return [
          statusChanged(
            agentId,
            state.status,
            command.data.status,
            Reason.HEARTBEAT,
            command.data.activity,
          ),
        ];

      case 'MarkAgentOffline':
        if (actor.kind !== 'system') {
          throw AppError.forbidden('Only the server decides that an agent is offline');
        }
        requireRegistered(state);
        if (!PRESENT_STATUSES.includes(state.status)) {
          return [];
        }
        return [statusChanged(agentId, state.status, 'offline', Reason.HEARTBEAT_EXPIRED)];

      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'agent.v1.AgentRegistered':
      case 'agent.v1.AgentUpdated': {
        const { name, role, capabilities, configJson, model, provider } = event.data;
        return {
          ...state,
          status: event.type === 'agent.v1.AgentRegistered' ? 'inactive' : state.status,
          profile: { name, role, capabilities, configJson, model, provider },
        };
      }
      case 'agent.v1.AgentActivated':
      case 'agent.v1.AgentDeactivated':
        // The status moves with the AgentStatusChanged that follows.
        return state;
      case 'agent.v1.AgentStatusChanged':
        return { ...state, status: fromProtoStatus(event.data.toStatus) };
      case 'agent.v1.AgentKeyIssued':
        return { ...state, keyId: event.data.keyId };
      case 'agent.v1.AgentKeyRevoked':
        return { ...state, keyId: state.keyId === event.data.keyId ? null : state.keyId };
      case 'agent.v1.AgentWakeHookSet':
        return { ...state, wakeHookUrl: event.data.url };
      case 'agent.v1.AgentWakeHookRemoved':
        return { ...state, wakeHookUrl: null };
      case 'agent.v1.SubAgentSpawned':
        return {
          ...state,
          parentAgentId: event.data.parentAgentId,
          expiresAtUnixMs: Number(event.data.expiresAtUnixMs),
        };
      case 'agent.v1.SubAgentEnded':
        // The status moves with the AgentStatusChanged that follows.
        return state;
      default:
        return assertNever(event, 'event');
    }
  },
};
