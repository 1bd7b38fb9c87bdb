import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { agentV1, domainEvent, type DomainEvent } from '@mission-control/proto';
import type { HostCommand, HostDescription, HostKind } from './host.commands';

export type HostEvent = Extract<
  DomainEvent,
  {
    type:
      | 'agent.v1.HostRegistered'
      | 'agent.v1.HostUpdated'
      | 'agent.v1.AgentPlacedOnHost'
      | 'agent.v1.HostSampled'
      | 'agent.v1.HostRemoved';
  }
>;

export type HostState = {
  status: 'none' | 'registered' | 'removed';
  hostKey: string;
  description: HostDescription;
  /** Empty when none was reported (a server). */
  containerStatus: string;
};

export const hostStreamId = (hostId: string): string => `host-${hostId}`;

const ProtoKind = agentV1.HostKind;

export function toProtoKind(kind: HostKind): agentV1.HostKind {
  switch (kind) {
    case 'server':
      return ProtoKind.SERVER;
    case 'container':
      return ProtoKind.CONTAINER;
    default:
      return assertNever(kind, 'host kind');
  }
}

export function fromProtoKind(kind: agentV1.HostKind): HostKind {
  switch (kind) {
    case ProtoKind.SERVER:
    case ProtoKind.UNSPECIFIED:
      return 'server';
    case ProtoKind.CONTAINER:
      return 'container';
    default:
      return assertNever(kind, 'host kind');
  }
}

const sameDescription = (a: HostDescription, b: HostDescription): boolean =>
  a.hostname === b.hostname &&
  a.kind === b.kind &&
  a.os === b.os &&
  a.arch === b.arch &&
  a.cpuCount === b.cpuCount &&
  a.memoryBytes === b.memoryBytes &&
  a.runnerVersion === b.runnerVersion;

const descriptionOf = (data: {
  hostname: string;
  kind: agentV1.HostKind;
  os: string;
  arch: string;
  cpuCount: number;
  memoryBytes: bigint;
  runnerVersion: string;
}): HostDescription => ({
  hostname: data.hostname,
  kind: fromProtoKind(data.kind),
  os: data.os,
  arch: data.arch,
  cpuCount: data.cpuCount,
  memoryBytes: Number(data.memoryBytes),
  runnerVersion: data.runnerVersion,
});

const protoDescription = (description: HostDescription) => ({
  ...description,
  kind: toProtoKind(description.kind),
  memoryBytes: BigInt(description.memoryBytes),
});

function requireRegistered(state: HostState): void {
  if (state.status !== 'registered') {
    throw AppError.notFound('Host');
  }
}

function requireAgent(actor: { kind: string }): void {
  if (actor.kind !== 'agent') {
    throw AppError.forbidden('Only an agent reports the host it runs on');
  }
}

/**
 * The host aggregate (stream `host-<id>`): what its runner says of it, the agents that report
 * running on it, and its resource samples. A report that changes nothing is no event.
 */
export const hostDecider: Decider<HostCommand, HostEvent, HostState> = {
  initialState: {
    status: 'none',
    hostKey: '',
    description: {
      hostname: '',
      kind: 'server',
      os: '',
      arch: '',
      cpuCount: 1,
      memoryBytes: 0,
      runnerVersion: '',
    },
    containerStatus: '',
  },

  decide(command, state) {
    const { actor } = command;
    const { hostId } = command.data;
    switch (command.type) {
      case 'ReportHost': {
        requireAgent(actor);
        const { hostKey, containerStatus, hostname, kind, os, arch, cpuCount, memoryBytes } =
          command.data;
        const description: HostDescription = {
          hostname,
          kind,
          os,
          arch,
          cpuCount,
          memoryBytes,
          runnerVersion: command.data.runnerVersion,
        };
        if (state.status === 'removed') {
          throw AppError.notFound('Host');
        }
        if (state.status === 'none') {
          return [
            domainEvent('agent.v1.HostRegistered', {
              hostId,
              hostKey,
              ...protoDescription(description),
              containerStatus: containerStatus ?? '',
            }),
          ];
        }
        if (state.hostKey !== hostKey) {
          throw AppError.conflict('This host was registered under another key', { hostId });
        }
        const nextStatus = containerStatus ?? state.containerStatus;
        if (
          sameDescription(state.description, description) &&
          nextStatus === state.containerStatus
        ) {
          return [];
        }
        return [
          domainEvent('agent.v1.HostUpdated', {
            hostId,
            ...protoDescription(description),
            containerStatus: nextStatus,
          }),
        ];
      }

      case 'PlaceAgentOnHost': {
        requireAgent(actor);
        requireRegistered(state);
        const { agentId, currentHostId } = command.data;
        if (actor.id !== agentId) {
          throw AppError.forbidden('An agent can only say where it runs itself');
        }
        if (currentHostId === hostId) {
          return [];
        }
        return [
          domainEvent('agent.v1.AgentPlacedOnHost', {
            hostId,
            agentId,
            previousHostId: currentHostId ?? '',
          }),
        ];
      }

      case 'RecordHostSample': {
        requireAgent(actor);
        requireRegistered(state);
        const { containerStatus, cpuPercent, memoryUsedBytes, diskUsedBytes, diskTotalBytes } =
          command.data;
        return [
          domainEvent('agent.v1.HostSampled', {
            hostId,
            cpuPercent,
            memoryUsedBytes: BigInt(memoryUsedBytes),
            memoryTotalBytes: BigInt(state.description.memoryBytes),
            diskUsedBytes: BigInt(diskUsedBytes),
            diskTotalBytes: BigInt(diskTotalBytes),
            containerStatus:
              containerStatus !== undefined && containerStatus !== state.containerStatus
                ? containerStatus
                : '',
          }),
        ];
      }

      case 'RemoveHost':
        // Who may remove a host is the service's to check (manage_agents).
        requireRegistered(state);
        return [domainEvent('agent.v1.HostRemoved', { hostId })];

      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'agent.v1.HostRegistered':
        return {
          status: 'registered',
          hostKey: event.data.hostKey,
          description: descriptionOf(event.data),
          containerStatus: event.data.containerStatus,
        };
      case 'agent.v1.HostUpdated':
        return {
          ...state,
          description: descriptionOf(event.data),
          containerStatus: event.data.containerStatus,
        };
      case 'agent.v1.AgentPlacedOnHost':
        return state;
      case 'agent.v1.HostSampled':
        return event.data.containerStatus === ''
          ? state
          : { ...state, containerStatus: event.data.containerStatus };
      case 'agent.v1.HostRemoved':
        return { ...state, status: 'removed' };
      default:
        return assertNever(event, 'event');
    }
  },
};
