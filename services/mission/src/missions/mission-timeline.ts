import { assertNever } from '@mission-control/eventing';
import { fromProtoColumn, fromProtoPriority } from './board';
import { missionV1 } from '@mission-control/proto';
import type { MissionEvent } from './mission.decider';

const RELEASE_REASONS: Partial<Record<missionV1.ReleaseReason, string>> = {
  [missionV1.ReleaseReason.LEASE_EXPIRED]: 'lease_expired',
  [missionV1.ReleaseReason.AGENT_OFFLINE]: 'agent_offline',
  [missionV1.ReleaseReason.RELEASED]: 'released',
};

export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

/** An event's payload as the timeline shows it: board words for enums, no protobuf internals. */
export function timelineData(event: MissionEvent): JsonObject {
  switch (event.type) {
    case 'mission.v1.MissionCreated':
      return {
        missionId: event.data.missionId,
        title: event.data.title,
        description: event.data.description,
        priority: fromProtoPriority(event.data.priority),
        tags: [...event.data.tags],
        column: fromProtoColumn(event.data.column),
        rank: event.data.rank,
        createdBy: event.data.createdBy,
      };
    case 'mission.v1.MissionUpdated':
      return {
        missionId: event.data.missionId,
        title: event.data.title,
        description: event.data.description,
        priority: fromProtoPriority(event.data.priority),
        tags: [...event.data.tags],
      };
    case 'mission.v1.MissionMoved':
      return {
        missionId: event.data.missionId,
        fromColumn: fromProtoColumn(event.data.fromColumn),
        toColumn: fromProtoColumn(event.data.toColumn),
        rank: event.data.rank,
      };
    case 'mission.v1.MissionAssigned':
      return { missionId: event.data.missionId, agentId: event.data.agentId || null };
    case 'mission.v1.MissionClaimed':
      return {
        missionId: event.data.missionId,
        agentId: event.data.agentId,
        epoch: Number(event.data.epoch),
        leaseSeconds: event.data.leaseSeconds,
      };
    case 'mission.v1.MissionReleased':
      return {
        missionId: event.data.missionId,
        agentId: event.data.agentId,
        epoch: Number(event.data.epoch),
        reason: RELEASE_REASONS[event.data.reason] ?? null,
        toColumn: fromProtoColumn(event.data.toColumn),
      };
    case 'mission.v1.CommentAdded':
      return {
        missionId: event.data.missionId,
        commentId: event.data.commentId,
        author: event.data.author,
        body: event.data.body,
        mentions: [...event.data.mentionNames],
      };
    case 'mission.v1.MissionDependencyAdded':
    case 'mission.v1.MissionDependencyRemoved':
      return { missionId: event.data.missionId, blockerId: event.data.blockerId };
    case 'mission.v1.MissionBecameReady':
      return {
        missionId: event.data.missionId,
        column: fromProtoColumn(event.data.column),
        assigneeAgentId: event.data.assigneeAgentId || null,
      };
    default:
      return assertNever(event, 'event');
  }
}
