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
    case 'mission.v1.MissionDependencyAdded':
    case 'mission.v1.MissionDependencyRemoved':
    case 'mission.v1.MissionBecameReady':
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

/**
 * The mission aggregate's state as its row holds it (the row is kept at the stream's version).
 * `blockers` are not in the row: commands decided from it (claims, assignments, releases) do not
 * read them, and dependency commands are decided from the stream.
 */
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
    blockers: [],
  };
}

/** Keeps the mission read tables in step with mission streams, on the append's transaction. */
@Injectable()
export class MissionProjection {
  constructor(private readonly missions: MissionsRepository) {}

  /**
   * `stored[i]` is the stored copy of `events[i]`: its version, time, workspace and actor. The
   * row changes of one append are merged into one update (an assignment and the claim after it).
   */
  async apply(tx: Tx, events: readonly MissionEvent[], stored: readonly StoredEvent[]) {
    type Pending = { missionId: string; version: number; at: Date; change: MissionChange };
    let pending: Pending | null = null;
    const flush = async (update: Pending | null) => {
      if (update) {
        const { missionId, version, at, change } = update;
        await this.missions.updateMission(tx, missionId, version, at, change);
      }
    };
    for (const [index, event] of events.entries()) {
      const record = stored[index];
      if (!record) {
        throw new Error('Every projected event needs its stored copy');
      }
      if (event.type === 'mission.v1.MissionCreated') {
        await flush(pending);
        pending = null;
        await this.missions.insertMission(tx, createdMission(event, record));
        continue;
      }
      const { version, recordedAt: at } = record;
      const { missionId } = event.data;
      if (event.type === 'mission.v1.CommentAdded') {
        await this.missions.insertComment(tx, {
          id: event.data.commentId,
          missionId,
          workspaceId: record.metadata.workspaceId,
          author: event.data.author,
          authorKind: record.metadata.actor.kind,
          body: event.data.body,
          mentions: event.data.mentionNames,
          createdAt: at,
        });
      }
      if (event.type === 'mission.v1.MissionDependencyAdded') {
        await this.missions.insertDependency(tx, {
          workspaceId: record.metadata.workspaceId,
          missionId,
          blockerId: event.data.blockerId,
          createdAt: at,
        });
      }
      if (event.type === 'mission.v1.MissionDependencyRemoved') {
        await this.missions.deleteDependency(tx, missionId, event.data.blockerId);
      }
      const merged: MissionChange = pending?.missionId === missionId ? pending.change : {};
      if (pending !== null && pending.missionId !== missionId) {
        await flush(pending);
      }
      pending = { missionId, version, at, change: { ...merged, ...changeOf(event, at) } };
    }
    await flush(pending);
  }
}
