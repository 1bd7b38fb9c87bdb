import { Injectable } from '@nestjs/common';
import { assertNever, type StoredEvent } from '@mission-control/eventing';
import type { Tx } from '../eventing/mission-event-store';
import { fromProtoColumn, fromProtoPriority } from './board';
import type { MissionEvent, MissionState } from './mission.decider';
import { MissionsRepository, type MissionRecord } from './missions.repository';

type MissionCreated = Extract<MissionEvent, { type: 'mission.v1.MissionCreated' }>;

/** The board row a new mission's first event makes: what the projection writes, and the answer to its creator. */
export function createdMission(event: MissionCreated, stored: StoredEvent): MissionRecord {
  return {
    id: event.data.missionId,
    workspaceId: event.data.workspaceId,
    title: event.data.title,
    description: event.data.description,
    priority: fromProtoPriority(event.data.priority),
    tags: event.data.tags,
    column: fromProtoColumn(event.data.column),
    rank: event.data.rank,
    assigneeAgentId: null,
    claimedBy: null,
    claimEpoch: 0,
    leaseExpiresAt: null,
    claimedAt: null,
    createdBy: event.data.createdBy,
    version: stored.version,
    createdAt: stored.recordedAt,
    updatedAt: stored.recordedAt,
  };
}

type MissionChange = Parameters<MissionsRepository['updateMission']>[4];

/** What an event other than the first changes in its mission's row (a comment: only its version). */
function changeOf(event: Exclude<MissionEvent, MissionCreated>, at: Date): MissionChange {
  switch (event.type) {
    case 'mission.v1.MissionUpdated':
      return {
        title: event.data.title,
        description: event.data.description,
        priority: fromProtoPriority(event.data.priority),
        tags: event.data.tags,
      };
    case 'mission.v1.MissionMoved':
      return { column: fromProtoColumn(event.data.toColumn), rank: event.data.rank };
    case 'mission.v1.MissionAssigned':
      return {
        assigneeAgentId: event.data.agentId || null,
        claimedBy: null,
        leaseExpiresAt: null,
        claimedAt: null,
      };
    case 'mission.v1.MissionClaimed':
      return {
        claimedBy: event.data.agentId,
        // Claims recorded before leases have neither an epoch nor a lease.
        claimEpoch: Number(event.data.epoch),
        claimedAt: at,
        leaseExpiresAt:
          event.data.leaseSeconds > 0
            ? new Date(at.getTime() + event.data.leaseSeconds * 1_000)
            : null,
      };
    case 'mission.v1.MissionReleased':
      return {
        claimedBy: null,
        assigneeAgentId: null,
        leaseExpiresAt: null,
        claimedAt: null,
        column: fromProtoColumn(event.data.toColumn),
        rank: event.data.rank,
      };
    case 'mission.v1.CommentAdded':
      return {};
    default:
      return assertNever(event, 'event');
  }
}

/** The row after `event`, as the projection writes it: answered without reading it back. */
export function projectedRow(
  row: MissionRecord,
  event: MissionEvent,
  stored: StoredEvent,
): MissionRecord {
  if (event.type === 'mission.v1.MissionCreated') {
    return createdMission(event, stored);
  }
  const { version, recordedAt: at } = stored;
  return { ...row, ...changeOf(event, at), version, updatedAt: at };
}

/** The mission aggregate's state as its row holds it (the row is kept at the stream's version). */
export function missionStateOf(row: MissionRecord): MissionState {
  return {
    status: 'active',
    workspaceId: row.workspaceId,
    title: row.title,
    description: row.description,
    priority: row.priority,
    tags: row.tags,
    column: row.column,
    rank: row.rank,
    assigneeAgentId: row.assigneeAgentId,
    claimedBy: row.claimedBy,
    epoch: row.claimEpoch,
  };
}

/** Keeps the mission read tables in step with mission streams, on the append's transaction. */
@Injectable()
export class MissionProjection {
  constructor(private readonly missions: MissionsRepository) {}

  /** `stored[i]` is the stored copy of `events[i]`: its version, time, workspace and actor. */
  async apply(tx: Tx, events: readonly MissionEvent[], stored: readonly StoredEvent[]) {
    for (const [index, event] of events.entries()) {
      const record = stored[index];
      if (!record) {
        throw new Error('Every projected event needs its stored copy');
      }
      await this.applyOne(tx, event, record);
    }
  }

  private async applyOne(tx: Tx, event: MissionEvent, stored: StoredEvent): Promise<void> {
    if (event.type === 'mission.v1.MissionCreated') {
      return this.missions.insertMission(tx, createdMission(event, stored));
    }
    const { version, recordedAt: at } = stored;
    if (event.type === 'mission.v1.CommentAdded') {
      await this.missions.insertComment(tx, {
        id: event.data.commentId,
        missionId: event.data.missionId,
        workspaceId: stored.metadata.workspaceId,
        author: event.data.author,
        authorKind: stored.metadata.actor.kind,
        body: event.data.body,
        mentions: event.data.mentionNames,
        createdAt: at,
      });
    }
    return this.missions.updateMission(tx, event.data.missionId, version, at, changeOf(event, at));
  }
}
