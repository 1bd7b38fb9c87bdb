import type { DomainEvent } from '@mission-control/proto';
import { columnOf, priorityOf, type Column, type Priority } from '../common/board-column';
import {
  MISSION_FLOW_MEASUREMENT,
  pointTimestamp,
  type MetricPoint,
} from '../metrics/metric-points';
import {
  commentDocumentId,
  missionDocumentId,
  type CommentDocument,
  type MissionDocument,
} from '../search/search-document';
import type { VersionedDocument } from '../search/elasticsearch-search-index';
import { ALREADY_APPLIED, type EventMeta } from './event-meta';
import type { Claimed } from './run-state';

/** The mission events the projections apply. */
export type MissionEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.MissionCreated'
      | 'mission.v1.MissionMoved'
      | 'mission.v1.MissionAssigned'
      | 'mission.v1.MissionClaimed'
      | 'mission.v1.MissionReleased'
      | 'mission.v1.MissionUpdated'
      | 'mission.v1.CommentAdded';
  }
>;

/** What the projections know of a mission after the events they applied. */
export type MissionState = {
  missionId: string;
  workspaceId: string;
  title: string;
  description: string;
  priority: Priority;
  tags: string[];
  column: Column;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  /** When the current assignee was assigned: a claim's response time runs from here. */
  assignedAt: Date | null;
  /** The mission's last claim (MissionClaimed.epoch); 0 before any. */
  claimEpoch: number;
  createdBy: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  firstInProgressAt: Date | null;
};

export type CommentState = {
  commentId: string;
  missionId: string;
  workspaceId: string;
  author: string;
  body: string;
  createdAt: Date;
};

export type MissionChange = {
  state: MissionState;
  /** The comment the event added. */
  comment: CommentState | null;
  /** Whether the mission's comments carry facts the event changed (title, column, tags…). */
  reindexComments: boolean;
  points: MetricPoint[];
  /** The claim the event made. */
  claimed: Claimed | null;
};

/** A mission event applied to the state it found: the new state and what to write. */
export function evolveMission(
  state: MissionState | null,
  event: MissionEvent,
  meta: EventMeta,
): MissionChange | typeof ALREADY_APPLIED {
  if (state !== null && meta.version <= state.version) {
    return ALREADY_APPLIED;
  }
  if (event.type === 'mission.v1.MissionCreated') {
    const { data } = event;
    const column = columnOf(data.column);
    const created: MissionState = {
      missionId: data.missionId,
      // The payload's tenant where it has one (older events only have the envelope's).
      workspaceId: data.workspaceId || meta.workspaceId,
      title: data.title,
      description: data.description,
      priority: priorityOf(data.priority),
      tags: [...data.tags],
      column,
      assigneeAgentId: null,
      claimedBy: null,
      assignedAt: null,
      claimEpoch: 0,
      createdBy: data.createdBy,
      version: meta.version,
      createdAt: meta.time,
      updatedAt: meta.time,
      firstInProgressAt: column === 'in_progress' ? meta.time : null,
    };
    return {
      state: created,
      comment: null,
      reindexComments: false,
      points: [flowPoint(created, meta, { created: 1, ...(column === 'done' ? { done: 1 } : {}) })],
      claimed: null,
    };
  }
  if (state === null) {
    // Per-stream order is Kafka's guarantee: a later event without its creation is a broken stream.
    throw new Error(`${event.type} for mission ${event.data.missionId} before its MissionCreated`);
  }
  const next: MissionState = { ...state, version: meta.version, updatedAt: meta.time };
  switch (event.type) {
    case 'mission.v1.MissionMoved': {
      const column = columnOf(event.data.toColumn);
      next.column = column;
      if (column === 'in_progress' && next.firstInProgressAt === null) {
        next.firstInProgressAt = meta.time;
      }
      const points: MetricPoint[] = [];
      if (column === 'done' && state.column !== 'done') {
        const fields: Record<string, number> = { done: 1 };
        if (next.firstInProgressAt) {
          fields.cycle_time_seconds =
            (meta.time.getTime() - next.firstInProgressAt.getTime()) / 1_000;
        }
        points.push(flowPoint(next, meta, fields));
      }
      return {
        state: next,
        comment: null,
        reindexComments: column !== state.column,
        points,
        claimed: null,
      };
    }
    case 'mission.v1.MissionAssigned':
      // Assigning (or unassigning) drops any claim, as the mission service does.
      next.assigneeAgentId = event.data.agentId || null;
      next.assignedAt = next.assigneeAgentId ? meta.time : null;
      next.claimedBy = null;
      return unchanged(next, true);
    case 'mission.v1.MissionClaimed': {
      next.claimedBy = event.data.agentId;
      // Claims recorded before leases carry no epoch: each still counts as the next one.
      next.claimEpoch = event.data.epoch > 0n ? Number(event.data.epoch) : state.claimEpoch + 1;
      return {
        ...unchanged(next, false),
        claimed: {
          missionId: state.missionId,
          epoch: next.claimEpoch,
          workspaceId: state.workspaceId,
          agentId: event.data.agentId,
          assignedAt: state.assigneeAgentId === event.data.agentId ? state.assignedAt : null,
          at: meta.time,
          version: meta.version,
        },
      };
    }
    case 'mission.v1.MissionReleased': {
      // The claim ended: back to the queue unassigned, in the column the event names.
      const column = columnOf(event.data.toColumn);
      next.claimedBy = null;
      next.assigneeAgentId = null;
      next.assignedAt = null;
      next.column = column;
      return unchanged(next, true);
    }
    case 'mission.v1.MissionUpdated':
      next.title = event.data.title;
      next.description = event.data.description;
      next.priority = priorityOf(event.data.priority);
      next.tags = [...event.data.tags];
      return unchanged(next, true);
    case 'mission.v1.CommentAdded':
      return {
        state: next,
        comment: {
          commentId: event.data.commentId,
          missionId: state.missionId,
          workspaceId: state.workspaceId,
          author: event.data.author,
          body: event.data.body,
          createdAt: meta.time,
        },
        reindexComments: false,
        points: [],
        claimed: null,
      };
    default: {
      const unexpected: never = event;
      throw new Error(`Unhandled mission event ${(unexpected as { type: string }).type}`);
    }
  }
}

/** A change that writes no points and makes no claim. */
const unchanged = (state: MissionState, reindexComments: boolean): MissionChange => ({
  state,
  comment: null,
  reindexComments,
  points: [],
  claimed: null,
});

function flowPoint(
  state: MissionState,
  meta: EventMeta,
  fields: Record<string, number>,
): MetricPoint {
  return {
    measurement: MISSION_FLOW_MEASUREMENT,
    tags: { workspace_id: state.workspaceId, mission_id: state.missionId },
    fields,
    timestamp: pointTimestamp(meta.time, meta.version),
  };
}

export function missionDocument(state: MissionState): VersionedDocument {
  const document: MissionDocument = {
    kind: 'mission',
    workspaceId: state.workspaceId,
    missionId: state.missionId,
    title: state.title,
    description: state.description,
    tags: state.tags,
    tagText: state.tags,
    column: state.column,
    priority: state.priority,
    assigneeAgentId: state.assigneeAgentId,
    claimedBy: state.claimedBy,
    createdBy: state.createdBy,
    createdAt: state.createdAt.toISOString(),
    updatedAt: state.updatedAt.toISOString(),
  };
  return { id: missionDocumentId(state.missionId), version: state.version, document };
}

/** A comment's document carries its mission's facts as of the mission's current version. */
export function commentDocument(mission: MissionState, comment: CommentState): VersionedDocument {
  const document: CommentDocument = {
    kind: 'comment',
    workspaceId: mission.workspaceId,
    missionId: mission.missionId,
    commentId: comment.commentId,
    missionTitle: mission.title,
    body: comment.body,
    author: comment.author,
    tags: mission.tags,
    column: mission.column,
    priority: mission.priority,
    assigneeAgentId: mission.assigneeAgentId,
    createdAt: comment.createdAt.toISOString(),
  };
  return { id: commentDocumentId(comment.commentId), version: mission.version, document };
}
