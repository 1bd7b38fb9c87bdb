import type {
  BoardColumn,
  BoardColumnPageQuery,
  BoardMissionFragment,
  BoardQuery,
  MissionPriority,
} from '../../graphql/generated';
import { entityIdOf, enumValue, type LiveEvent } from '../../lib/live/live-event';

export type BoardMission = BoardMissionFragment;
export type BoardColumns = Record<BoardColumn, BoardMission[]>;

/** Where a mission stands in its column: rank order, byte-wise, the id breaking ties. */
export type Position = { rank: string; id: string };

/** How much of a column is loaded, and how to load the rest. */
export type ColumnPaging = {
  /** Every mission in the column, loaded or not. */
  totalCount: number;
  hasNextPage: boolean;
  /** Where the next page starts (boardColumn's `after`). */
  endCursor: string | null;
  /**
   * The last mission loaded, where it stood when it was: the loaded part of the column is every
   * mission up to this position. It stays put when that mission later moves, as the cursor does.
   */
  loadedTo: Position | null;
};

/**
 * The board as this page holds it: the loaded part of each column, each column's paging, and the
 * missions known (from live events) to be in a column beyond its loaded part, so that an event
 * heard twice, or a mission moving on from there, is counted once.
 */
export type BoardState = {
  columns: BoardColumns;
  paging: Record<BoardColumn, ColumnPaging>;
  offscreen: Record<string, { column: BoardColumn } & Position>;
};

/**
 * Missions per column the board asks for at first, and per "load more": more than a tall screen
 * shows of a column, so its end (which loads the next page) is a scroll away. Every card of a page
 * is work for the server and the browser alike.
 */
export const BOARD_PAGE_SIZE = 20;
/** The most the API gives per column in one request. */
export const MAX_PAGE_SIZE = 200;

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
export function compareRank(a: Position, b: Position): number {
  if (a.rank !== b.rank) {
    return a.rank < b.rank ? -1 : 1;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

const positionOf = (mission: BoardMission | undefined): Position | null =>
  mission ? { rank: mission.rank, id: mission.id } : null;

/**
 * The board as the server sent it. Each column keeps the order held from then on: the server
 * sends rank order, and a mission dropped but not yet ranked by the server keeps the place it was
 * dropped at.
 */
export function boardStateOf(board: BoardQuery['board']): BoardState {
  const state: BoardState = { columns: emptyColumns(), paging: emptyPaging(), offscreen: {} };
  for (const { column, missions, totalCount, pageInfo } of board.columns) {
    state.columns[column] = missions;
    state.paging[column] = {
      totalCount,
      hasNextPage: pageInfo.hasNextPage,
      endCursor: pageInfo.endCursor,
      loadedTo: positionOf(missions.at(-1)),
    };
  }
  return state;
}

function emptyPaging(): Record<BoardColumn, ColumnPaging> {
  const none = (): ColumnPaging => ({
    totalCount: 0,
    hasNextPage: false,
    endCursor: null,
    loadedTo: null,
  });
  return {
    BACKLOG: none(),
    TODO: none(),
    IN_PROGRESS: none(),
    REVIEW: none(),
    DONE: none(),
    BLOCKED: none(),
  };
}

export function emptyBoard(): BoardState {
  return { columns: emptyColumns(), paging: emptyPaging(), offscreen: {} };
}

/**
 * How many missions per column to ask for when the board is fetched again (after a live event it
 * cannot apply, or when the page comes back into focus): as many as a column already shows, in
 * whole pages, up to what one request may hold, so loaded pages do not vanish.
 */
export function perColumnFor(state: BoardState | undefined): number {
  const shown = state
    ? Math.max(...BOARD_COLUMNS.map((column) => state.columns[column].length))
    : 0;
  const pages = Math.max(1, Math.ceil(shown / BOARD_PAGE_SIZE));
  return Math.min(MAX_PAGE_SIZE, pages * BOARD_PAGE_SIZE);
}

/** Whether `position` falls in the loaded part of `column` (all of it when nothing follows). */
export function isLoadedPart(state: BoardState, column: BoardColumn, position: Position): boolean {
  const { hasNextPage, loadedTo } = state.paging[column];
  return !hasNextPage || (loadedTo !== null && compareRank(position, loadedTo) <= 0);
}

/** Whether some column has missions this page has not loaded. */
export function isPartial(state: BoardState): boolean {
  return BOARD_COLUMNS.some((column) => state.paging[column].hasNextPage);
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

/** Every mission on the board, loaded or not. */
export function countMissions(state: BoardState): number {
  return BOARD_COLUMNS.reduce((total, column) => total + state.paging[column].totalCount, 0);
}

/** "20 of 1,240" while part of the column is loaded, else its count. */
export function columnCountLabel(state: BoardState, column: BoardColumn): string {
  const { totalCount, hasNextPage } = state.paging[column];
  const shown = state.columns[column].length;
  return hasNextPage && shown < totalCount
    ? `${NUMBER.format(shown)} of ${NUMBER.format(totalCount)}`
    : NUMBER.format(totalCount);
}

const NUMBER = new Intl.NumberFormat('en-US');

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

function withCount(
  paging: BoardState['paging'],
  column: BoardColumn,
  delta: number,
): BoardState['paging'] {
  const current = paging[column];
  return {
    ...paging,
    [column]: { ...current, totalCount: Math.max(0, current.totalCount + delta) },
  };
}

/** The board without a mission, loaded or offscreen, and its column counted one less. */
function forget(state: BoardState, missionId: string): BoardState {
  const found = locate(state.columns, missionId);
  if (found) {
    return {
      ...state,
      columns: without(state.columns, missionId),
      paging: withCount(state.paging, found.column, -1),
    };
  }
  const offscreen = state.offscreen[missionId];
  if (offscreen) {
    const { [missionId]: _gone, ...rest } = state.offscreen;
    return { ...state, offscreen: rest, paging: withCount(state.paging, offscreen.column, -1) };
  }
  return state;
}

/**
 * The board after the missions of `columns` were rearranged here (a drag, a move the server
 * confirmed): each column counted with what it gained or lost.
 */
export function withColumns(state: BoardState, columns: BoardColumns): BoardState {
  let paging = state.paging;
  for (const column of BOARD_COLUMNS) {
    const delta = columns[column].length - state.columns[column].length;
    if (delta !== 0) {
      paging = withCount(paging, column, delta);
    }
  }
  const offscreen = Object.fromEntries(
    Object.entries(state.offscreen).filter(([id]) => locate(columns, id) === null),
  );
  return { columns, paging, offscreen };
}

/**
 * A mission (new, moved, or fetched) where it now stands, counted in its column. A mission that
 * lands beyond the loaded part of a column is only counted: it shows when that part is loaded.
 * `always` shows it anyway, for what the person did here (a card they just created or dropped).
 * A mission already shown in that column stays shown, in rank order.
 */
export function placeMission(
  state: BoardState,
  mission: BoardMission,
  show: 'by-rank' | 'always' = 'by-rank',
): BoardState {
  const found = locate(state.columns, mission.id);
  if (found?.column === mission.column) {
    return { ...state, columns: upsertByRank(state.columns, mission) };
  }
  const rest = forget(state, mission.id);
  const paging = withCount(rest.paging, mission.column, 1);
  if (show === 'always' || isLoadedPart(rest, mission.column, mission)) {
    return { ...rest, paging, columns: upsertByRank(rest.columns, mission) };
  }
  return {
    ...rest,
    paging,
    offscreen: {
      ...rest.offscreen,
      [mission.id]: { column: mission.column, rank: mission.rank, id: mission.id },
    },
  };
}

/** A mission this page has not loaded moved from `from` to `to`: the counts follow it. */
function moveUnloaded(
  state: BoardState,
  missionId: string,
  from: BoardColumn,
  to: BoardColumn,
  rank: string,
): BoardState {
  const rest = state.offscreen[missionId]
    ? forget(state, missionId)
    : { ...state, paging: withCount(state.paging, from, -1) };
  return {
    ...rest,
    paging: withCount(rest.paging, to, 1),
    offscreen: { ...rest.offscreen, [missionId]: { column: to, rank, id: missionId } },
  };
}

/**
 * Missions counted but not shown that now stand in the loaded part of their column (one that
 * moved there from a part never loaded): the page fetches each and places it.
 */
export function missingCards(state: BoardState): string[] {
  return Object.values(state.offscreen)
    .filter((entry) => isLoadedPart(state, entry.column, entry))
    .map((entry) => entry.id);
}

/**
 * The board with the next page of a column added after what is loaded. A mission the board
 * already shows, or knows to have moved to another column, keeps what the board knows.
 */
export function appendPage(
  state: BoardState,
  page: BoardColumnPageQuery['boardColumn'],
): BoardState {
  const { column } = page;
  let columns = state.columns;
  const offscreen = { ...state.offscreen };
  for (const mission of page.missions) {
    const elsewhere = offscreen[mission.id];
    if (locate(columns, mission.id) !== null || (elsewhere && elsewhere.column !== column)) {
      continue;
    }
    delete offscreen[mission.id];
    columns = upsertByRank(columns, { ...mission, column });
  }
  const before = state.paging[column];
  return {
    columns,
    offscreen,
    paging: {
      ...state.paging,
      [column]: {
        totalCount: page.totalCount,
        hasNextPage: page.pageInfo.hasNextPage,
        endCursor: page.pageInfo.endCursor ?? before.endCursor,
        loadedTo: positionOf(page.missions.at(-1)) ?? before.loadedTo,
      },
    },
  };
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

/** The loaded card whose mission is running `runId`. */
export function findRunning(columns: BoardColumns, runId: string): BoardMission | null {
  for (const column of BOARD_COLUMNS) {
    const mission = columns[column].find((card) => card.activeRun?.id === runId);
    if (mission) {
      return mission;
    }
  }
  return null;
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
    case 'mission.v1.RunStarted':
      return found ? `A run started on ${title}` : null;
    case 'mission.v1.RunFinished': {
      const running = findRunning(columns, entityIdOf(event, 'run'));
      return running ? `The run on ${running.title} ended` : null;
    }
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
 * held (a mission the board should know and does not, a type this page does not know);
 * `unchanged` when the board holds nothing the event touches. Counts follow every mission, shown
 * or not; a card shows only in the loaded part of its column.
 */
export function applyMissionEvent(
  state: BoardState,
  event: LiveEvent,
): BoardState | 'refetch' | 'unchanged' {
  const data = event.data ?? {};
  const missionId = entityIdOf(event, 'mission');
  const found = locate(state.columns, missionId);
  const offscreen = state.offscreen[missionId];
  // With every column loaded, a mission the board does not know means it missed something.
  const unexpected = !found && !offscreen && !isPartial(state);
  switch (event.type) {
    case 'mission.v1.MissionCreated': {
      const rank = str(data.rank);
      const title = str(data.title);
      if (rank === null || title === null) {
        return 'refetch';
      }
      if (found || offscreen) {
        return 'unchanged';
      }
      return placeMission(state, {
        id: missionId,
        title,
        priority: priorityOf(data.priority) ?? 'MEDIUM',
        tags: strings(data.tags),
        // Events written before the column existed mean the backlog.
        column: columnOf(data.column) ?? 'BACKLOG',
        rank,
        assigneeAgentId: null,
        updatedAt: event.time,
        activeRun: null,
      });
    }
    case 'mission.v1.MissionMoved': {
      const column = columnOf(data.toColumn);
      const rank = str(data.rank);
      if (column === null || rank === null) {
        return 'refetch';
      }
      if (found) {
        const mission = state.columns[found.column][found.index]!;
        return placeMission(state, { ...mission, column, rank, updatedAt: event.time });
      }
      const from = offscreen?.column ?? columnOf(data.fromColumn);
      if (from === null || unexpected) {
        return 'refetch';
      }
      return moveUnloaded(state, missionId, from, column, rank);
    }
    case 'mission.v1.MissionUpdated': {
      if (!found) {
        return unexpected ? 'refetch' : 'unchanged';
      }
      return {
        ...state,
        columns: patchMission(state.columns, missionId, {
          title: str(data.title) ?? '',
          priority: priorityOf(data.priority) ?? 'MEDIUM',
          tags: strings(data.tags),
          updatedAt: event.time,
        }),
      };
    }
    case 'mission.v1.MissionAssigned': {
      if (!found) {
        return unexpected ? 'refetch' : 'unchanged';
      }
      return {
        ...state,
        columns: patchMission(state.columns, missionId, {
          // Protobuf JSON leaves out an empty string: no agent id means unassigned.
          assigneeAgentId: str(data.agentId) || null,
          updatedAt: event.time,
        }),
      };
    }
    case 'mission.v1.RunStarted': {
      const runId = str(data.runId);
      const agentId = str(data.agentId);
      if (!found) {
        return unexpected ? 'refetch' : 'unchanged';
      }
      if (runId === null || agentId === null) {
        return 'refetch';
      }
      return {
        ...state,
        columns: patchMission(state.columns, missionId, {
          activeRun: { id: runId, agentId, startedAt: event.time },
        }),
      };
    }
    case 'mission.v1.RunFinished': {
      // The event names its run only: the card running it, if loaded, stops showing it.
      const running = findRunning(state.columns, entityIdOf(event, 'run'));
      if (!running) {
        return 'unchanged';
      }
      return { ...state, columns: patchMission(state.columns, running.id, { activeRun: null }) };
    }
    // A run's log or cost is shown on its own page; a claim changes no card.
    case 'mission.v1.MissionClaimed':
    case 'mission.v1.CommentAdded':
    case 'mission.v1.RunLogAppended':
    case 'mission.v1.RunUsageReported':
      return 'unchanged';
    default:
      return event.type.startsWith('mission.v1.') ? 'refetch' : 'unchanged';
  }
}
