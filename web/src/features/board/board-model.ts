import type {
  BoardColumn,
  BoardMissionFragment,
  BoardQuery,
  MissionPriority,
} from '../../graphql/generated';
import { entityIdOf, enumValue, type LiveEvent } from '../../lib/live/live-event';

export type BoardMission = BoardMissionFragment;
export type BoardColumns = Record<BoardColumn, BoardMission[]>;

export const BOARD_COLUMNS: readonly BoardColumn[] = [
  'BACKLOG',
  'TODO',
  'IN_PROGRESS',
  'REVIEW',
  'DONE',
  'BLOCKED',
];

export const COLUMN_NAMES: Record<BoardColumn, string> = {
  BACKLOG: 'Backlog',
  TODO: 'To do',
  IN_PROGRESS: 'In progress',
  REVIEW: 'Review',
  DONE: 'Done',
  BLOCKED: 'Blocked',
};

export const PRIORITIES: readonly MissionPriority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

export const PRIORITY_NAMES: Record<MissionPriority, string> = {
  LOW: 'Low',
  MEDIUM: 'Medium',
  HIGH: 'High',
  URGENT: 'Urgent',
};

export function emptyColumns(): BoardColumns {
  return { BACKLOG: [], TODO: [], IN_PROGRESS: [], REVIEW: [], DONE: [], BLOCKED: [] };
}

/** Ranks sort as plain strings, byte by byte (never by locale); the id breaks ties. */
export function compareRank(a: BoardMission, b: BoardMission): number {
  if (a.rank !== b.rank) {
    return a.rank < b.rank ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The board by column, in the order held: the server sends rank order, and a mission dropped but
 * not yet ranked by the server keeps the place it was dropped at.
 */
export function columnsOf(board: BoardQuery['board']): BoardColumns {
  const columns = emptyColumns();
  for (const { column, missions } of board.columns) {
    columns[column] = missions;
  }
  return columns;
}

export function toBoard(workspaceId: string, columns: BoardColumns): BoardQuery['board'] {
  return {
    workspaceId,
    columns: BOARD_COLUMNS.map((column) => ({ column, missions: columns[column] })),
  };
}

export function locate(
  columns: BoardColumns,
  missionId: string,
): { column: BoardColumn; index: number } | null {
  for (const column of BOARD_COLUMNS) {
    const index = columns[column].findIndex((mission) => mission.id === missionId);
    if (index >= 0) {
      return { column, index };
    }
  }
  return null;
}

export function countMissions(columns: BoardColumns): number {
  return BOARD_COLUMNS.reduce((total, column) => total + columns[column].length, 0);
}

function without(columns: BoardColumns, missionId: string): BoardColumns {
  const found = locate(columns, missionId);
  if (!found) {
    return columns;
  }
  return {
    ...columns,
    [found.column]: columns[found.column].filter((mission) => mission.id !== missionId),
  };
}

/** Puts a mission (new or moved) where its rank says, in its column. */
export function upsertByRank(columns: BoardColumns, mission: BoardMission): BoardColumns {
  const rest = without(columns, mission.id);
  const list = rest[mission.column];
  const index = list.findIndex((other) => compareRank(mission, other) < 0);
  const next = [...list];
  next.splice(index < 0 ? list.length : index, 0, mission);
  return { ...rest, [mission.column]: next };
}

/** Changes a mission's details where it stands. */
export function patchMission(
  columns: BoardColumns,
  missionId: string,
  patch: Partial<BoardMission>,
): BoardColumns {
  const found = locate(columns, missionId);
  if (!found) {
    return columns;
  }
  const list = [...columns[found.column]];
  list[found.index] = { ...list[found.index]!, ...patch };
  return { ...columns, [found.column]: list };
}

export type PlannedMove = {
  columns: BoardColumns;
  /** The neighbours moveMission needs: the mission goes right after `afterId`, before `beforeId`. */
  afterId: string | null;
  beforeId: string | null;
};

/**
 * Moves a mission to `index` of `column` as the person dropped it, before the server ranks it:
 * the optimistic board and the neighbours to send. Null when nothing moves.
 */
export function planMove(
  columns: BoardColumns,
  missionId: string,
  column: BoardColumn,
  index: number,
): PlannedMove | null {
  const from = locate(columns, missionId);
  if (!from) {
    return null;
  }
  if (from.column === column && from.index === index) {
    return null;
  }
  const mission = columns[from.column][from.index]!;
  const rest = without(columns, missionId);
  const target = [...rest[column]];
  const at = Math.max(0, Math.min(index, target.length));
  target.splice(at, 0, { ...mission, column });
  return {
    columns: { ...rest, [column]: target },
    afterId: target[at - 1]?.id ?? null,
    beforeId: target[at + 1]?.id ?? null,
  };
}

/** Tags as typed: comma separated, trimmed, each once. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((tag) => tag.trim())
        .filter(Boolean),
    ),
  ];
}

/** What a live event means to someone watching the board, for the screen-reader announcement. */
export function describeMissionEvent(columns: BoardColumns, event: LiveEvent): string | null {
  const data = event.data ?? {};
  const missionId = entityIdOf(event, 'mission');
  const found = locate(columns, missionId);
  const title =
    str(data.title) ?? (found ? columns[found.column][found.index]!.title : 'A mission');
  switch (event.type) {
    case 'mission.v1.MissionCreated':
      return `New mission: ${title}`;
    case 'mission.v1.MissionMoved': {
      const column = columnOf(data.toColumn);
      return column ? `${title} moved to ${COLUMN_NAMES[column]}` : null;
    }
    case 'mission.v1.MissionUpdated':
      return `${title} was edited`;
    case 'mission.v1.MissionAssigned':
      return str(data.agentId) ? `${title} was assigned` : `${title} was unassigned`;
    default:
      return null;
  }
}

const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const columnOf = (value: unknown) => enumValue(value, 'BOARD_COLUMN_', BOARD_COLUMNS);
const priorityOf = (value: unknown) => enumValue(value, 'PRIORITY_', PRIORITIES);

/**
 * The board after a live mission event. `refetch` when the event cannot be applied from what is
 * on screen (a mission that is not there, a type this page does not know); `unchanged` when the
 * board shows nothing the event touches.
 */
export function applyMissionEvent(
  columns: BoardColumns,
  event: LiveEvent,
): BoardColumns | 'refetch' | 'unchanged' {
  const data = event.data ?? {};
  const missionId = entityIdOf(event, 'mission');
  const known = locate(columns, missionId) !== null;
  switch (event.type) {
    case 'mission.v1.MissionCreated': {
      const rank = str(data.rank);
      const title = str(data.title);
      if (rank === null || title === null) {
        return 'refetch';
      }
      if (known) {
        return 'unchanged';
      }
      return upsertByRank(columns, {
        id: missionId,
        title,
        priority: priorityOf(data.priority) ?? 'MEDIUM',
        tags: strings(data.tags),
        // Events written before the column existed mean the backlog.
        column: columnOf(data.column) ?? 'BACKLOG',
        rank,
        assigneeAgentId: null,
        updatedAt: event.time,
      });
    }
    case 'mission.v1.MissionMoved': {
      const column = columnOf(data.toColumn);
      const rank = str(data.rank);
      const found = locate(columns, missionId);
      if (!found || column === null || rank === null) {
        return 'refetch';
      }
      const mission = columns[found.column][found.index]!;
      return upsertByRank(columns, { ...mission, column, rank, updatedAt: event.time });
    }
    case 'mission.v1.MissionUpdated': {
      if (!known) {
        return 'refetch';
      }
      return patchMission(columns, missionId, {
        title: str(data.title) ?? '',
        priority: priorityOf(data.priority) ?? 'MEDIUM',
        tags: strings(data.tags),
        updatedAt: event.time,
      });
    }
    case 'mission.v1.MissionAssigned': {
      if (!known) {
        return 'refetch';
      }
      // Protobuf JSON leaves out an empty string: no agent id means unassigned.
      return patchMission(columns, missionId, {
        assigneeAgentId: str(data.agentId) || null,
        updatedAt: event.time,
      });
    }
    case 'mission.v1.MissionClaimed':
    case 'mission.v1.CommentAdded':
      return 'unchanged';
    default:
      return event.type.startsWith('mission.v1.') ? 'refetch' : 'unchanged';
  }
}
