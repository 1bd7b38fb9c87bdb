import { AppError } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { domainEvent, missionV1, type Actor, type DomainEvent } from '@mission-control/proto';
import {
  fromProtoColumn,
  fromProtoPriority,
  toProtoColumn,
  toProtoPriority,
  type Column,
  type Priority,
} from './board';
import { keyBetween } from './fractional-index';
import { mentionedIds, parseMentions } from './mentions';
import type { MissionCommand } from './mission.commands';

export type MissionEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.MissionCreated'
      | 'mission.v1.MissionUpdated'
      | 'mission.v1.MissionMoved'
      | 'mission.v1.MissionAssigned'
      | 'mission.v1.MissionClaimed'
      | 'mission.v1.MissionReleased'
      | 'mission.v1.CommentAdded'
      | 'mission.v1.MissionDependencyAdded'
      | 'mission.v1.MissionDependencyRemoved'
      | 'mission.v1.MissionBecameReady';
  }
>;

export type MissionState = {
  status: 'none' | 'active';
  workspaceId: string;
  title: string;
  description: string;
  priority: Priority;
  tags: readonly string[];
  column: Column;
  rank: string;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  /** The current (or last) claim's fencing epoch; 0 before the first claim. */
  epoch: number;
  /** The missions it waits for (PRODUCT M4), done or not. */
  blockers: readonly string[];
};

const RELEASE_REASON = {
  lease_expired: missionV1.ReleaseReason.LEASE_EXPIRED,
  agent_offline: missionV1.ReleaseReason.AGENT_OFFLINE,
  released: missionV1.ReleaseReason.RELEASED,
};

export const missionStreamId = (missionId: string): string => `mission-${missionId}`;

// Another workspace's mission answers exactly as a missing one, so ids cannot be probed.
function requireMission(state: MissionState, workspaceId: string): void {
  if (state.status !== 'active' || state.workspaceId !== workspaceId) {
    throw AppError.notFound('Mission');
  }
}

/** An agent acting without create_missions may only touch the mission it has claimed. */
function requireAuthority(
  state: MissionState,
  actor: Actor,
  authority: 'commander' | 'agent',
): void {
  if (authority === 'agent' && !(actor.kind === 'agent' && state.claimedBy === actor.id)) {
    throw AppError.forbidden('An agent may only change a mission it has claimed');
  }
}

function rankBetween(placement: { after: string | null; before: string | null }): string {
  if (
    placement.after !== null &&
    placement.before !== null &&
    placement.after >= placement.before
  ) {
    throw AppError.validation('The mission to go after must come before the mission to go before');
  }
  return keyBetween(placement.after, placement.before);
}

const sameTags = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((tag, index) => tag === b[index]);

/**
 * The mission aggregate (stream `mission-<id>`): a card on its workspace's board, its place in a
 * column, who it is assigned to and who claimed it, and its comments.
 */
export const missionDecider: Decider<MissionCommand, MissionEvent, MissionState> = {
  initialState: {
    status: 'none',
    workspaceId: '',
    title: '',
    description: '',
    priority: 'medium',
    tags: [],
    column: 'backlog',
    rank: '',
    assigneeAgentId: null,
    claimedBy: null,
    epoch: 0,
    blockers: [],
  },

  decide(command, state) {
    const { workspaceId, actor } = command;
    switch (command.type) {
      case 'CreateMission': {
        if (state.status !== 'none') {
          throw AppError.conflict('This mission already exists');
        }
        const { data } = command;
        return [
          domainEvent('mission.v1.MissionCreated', {
            missionId: data.missionId,
            workspaceId,
            title: data.title,
            description: data.description,
            priority: toProtoPriority(data.priority),
            tags: data.tags,
            createdBy: actor.id,
            column: toProtoColumn(data.column),
            rank: rankBetween(data.placement),
          }),
        ];
      }

      case 'UpdateMission': {
        requireMission(state, workspaceId);
        const { data } = command;
        const next = {
          title: data.title ?? state.title,
          description: data.description ?? state.description,
          priority: data.priority ?? state.priority,
          tags: data.tags ?? state.tags,
        };
        if (
          next.title === state.title &&
          next.description === state.description &&
          next.priority === state.priority &&
          sameTags(next.tags, state.tags)
        ) {
          return [];
        }
        return [
          domainEvent('mission.v1.MissionUpdated', {
            missionId: data.missionId,
            title: next.title,
            description: next.description,
            priority: toProtoPriority(next.priority),
            tags: [...next.tags],
          }),
        ];
      }

      case 'MoveMission': {
        requireMission(state, workspaceId);
        requireAuthority(state, actor, command.data.authority);
        return [
          domainEvent('mission.v1.MissionMoved', {
            missionId: command.data.missionId,
            fromColumn: toProtoColumn(state.column),
            toColumn: toProtoColumn(command.data.column),
            rank: rankBetween(command.data.placement),
          }),
        ];
      }

      case 'AssignMission': {
        requireMission(state, workspaceId);
        if (state.assigneeAgentId === command.data.agentId) {
          return [];
        }
        return [
          domainEvent('mission.v1.MissionAssigned', {
            missionId: command.data.missionId,
            agentId: command.data.agentId ?? '',
          }),
        ];
      }

      case 'ClaimMission': {
        requireMission(state, workspaceId);
        if (actor.kind !== 'agent' || state.assigneeAgentId !== actor.id) {
          throw AppError.forbidden('Only the agent a mission is assigned to may claim it');
        }
        if (state.claimedBy === actor.id) {
          return [];
        }
        if (command.data.blockedBy.length > 0) {
          throw AppError.conflict(`Blocked by: ${command.data.blockedBy.join(', ')}`);
        }
        return [
          domainEvent('mission.v1.MissionClaimed', {
            missionId: command.data.missionId,
            agentId: actor.id,
            epoch: BigInt(state.epoch + 1),
            leaseSeconds: command.data.leaseSeconds,
          }),
        ];
      }

      case 'ReleaseClaim': {
        requireMission(state, workspaceId);
        const { data } = command;
        if (actor.kind === 'user') {
          throw AppError.forbidden('Claims end by their agent or when their lease runs out');
        }
        if (
          actor.kind === 'agent' &&
          (actor.id !== state.claimedBy || data.reason !== 'released')
        ) {
          throw AppError.forbidden('Only the agent holding the claim gives it back');
        }
        // Already ended, or a newer claim holds the mission: that claim is not this one's to end.
        if (state.claimedBy === null || state.epoch !== data.epoch) {
          return [];
        }
        return [
          domainEvent('mission.v1.MissionReleased', {
            missionId: data.missionId,
            agentId: state.claimedBy,
            epoch: BigInt(state.epoch),
            reason: RELEASE_REASON[data.reason],
            toColumn: toProtoColumn(data.column),
            rank: data.column === state.column ? state.rank : rankBetween(data.placement),
          }),
        ];
      }

      case 'AddComment': {
        requireMission(state, workspaceId);
        requireAuthority(state, actor, command.data.authority);
        const names = parseMentions(command.data.body);
        return [
          domainEvent('mission.v1.CommentAdded', {
            missionId: command.data.missionId,
            commentId: command.data.commentId,
            author: actor.id,
            body: command.data.body,
            mentions: mentionedIds(names),
            mentionNames: names,
          }),
        ];
      }

      case 'AddMissionDependency': {
        requireMission(state, workspaceId);
        const { missionId, blockerId, cycle } = command.data;
        if (blockerId === missionId) {
          throw AppError.validation('A mission cannot wait for itself', {
            fields: [{ path: 'blockerId', message: 'is the mission itself' }],
          });
        }
        if (state.blockers.includes(blockerId)) {
          return [];
        }
        if (cycle !== null) {
          throw AppError.conflict(`Would make a cycle: ${cycle.join(' → ')}`);
        }
        return [domainEvent('mission.v1.MissionDependencyAdded', { missionId, blockerId })];
      }

      case 'RemoveMissionDependency': {
        requireMission(state, workspaceId);
        const { missionId, blockerId } = command.data;
        if (!state.blockers.includes(blockerId)) {
          return [];
        }
        return [domainEvent('mission.v1.MissionDependencyRemoved', { missionId, blockerId })];
      }

      case 'NoteMissionReady': {
        requireMission(state, workspaceId);
        return [
          domainEvent('mission.v1.MissionBecameReady', {
            missionId: command.data.missionId,
            column: toProtoColumn(state.column),
            assigneeAgentId: state.assigneeAgentId ?? '',
          }),
        ];
      }

      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'mission.v1.MissionCreated':
        return {
          ...state,
          status: 'active',
          workspaceId: event.data.workspaceId,
          title: event.data.title,
          description: event.data.description,
          priority: fromProtoPriority(event.data.priority),
          tags: event.data.tags,
          column: fromProtoColumn(event.data.column),
          rank: event.data.rank,
        };
      case 'mission.v1.MissionUpdated':
        return {
          ...state,
          title: event.data.title,
          description: event.data.description,
          priority: fromProtoPriority(event.data.priority),
          tags: event.data.tags,
        };
      case 'mission.v1.MissionMoved':
        return { ...state, column: fromProtoColumn(event.data.toColumn), rank: event.data.rank };
      case 'mission.v1.MissionAssigned':
        // A new assignee starts unclaimed: the previous agent's claim does not carry over.
        return { ...state, assigneeAgentId: event.data.agentId || null, claimedBy: null };
      case 'mission.v1.MissionClaimed':
        return {
          ...state,
          claimedBy: event.data.agentId,
          // Claims recorded before leases carry no epoch: each still counts as the next one.
          epoch: event.data.epoch > 0n ? Number(event.data.epoch) : state.epoch + 1,
        };
      case 'mission.v1.MissionReleased':
        return {
          ...state,
          claimedBy: null,
          assigneeAgentId: null,
          column: fromProtoColumn(event.data.toColumn),
          rank: event.data.rank,
        };
      case 'mission.v1.MissionDependencyAdded':
        return { ...state, blockers: [...state.blockers, event.data.blockerId] };
      case 'mission.v1.MissionDependencyRemoved':
        return {
          ...state,
          blockers: state.blockers.filter((blocker) => blocker !== event.data.blockerId),
        };
      case 'mission.v1.CommentAdded':
      case 'mission.v1.MissionBecameReady':
        return state;
      default:
        return assertNever(event, 'event');
    }
  },
};
