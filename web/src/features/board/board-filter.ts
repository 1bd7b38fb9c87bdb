import type { BoardColumn, MissionPriority } from '../../graphql/generated';
import {
  BOARD_COLUMNS,
  type BoardColumns,
  type BoardMission,
  emptyColumns,
  PRIORITIES,
} from './board-model';

/** Missions of nobody, in the assignee filter (an agent id cannot look like this). */
export const UNASSIGNED = 'unassigned';

/**
 * What the board shows, as kept in the URL query (`?assignee=…&priority=…&tag=…`), so a filtered
 * board can be shared and survives a reload. Null: no filter on that.
 */
export type BoardFilter = {
  /** An agent id, or {@link UNASSIGNED}. */
  assignee: string | null;
  priority: MissionPriority | null;
  tag: string | null;
};

export const NO_FILTER: BoardFilter = { assignee: null, priority: null, tag: null };

type QueryLike = { get(name: string): string | null };

const nonEmpty = (value: string | null): string | null => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

/** The filter a URL query asks for; what it cannot mean (an unknown priority) is left out. */
export function filterFromQuery(query: QueryLike): BoardFilter {
  const priority = nonEmpty(query.get('priority'))?.toUpperCase() ?? null;
  return {
    assignee: nonEmpty(query.get('assignee')),
    priority: (PRIORITIES as readonly string[]).includes(priority ?? '')
      ? (priority as MissionPriority)
      : null,
    // Tags are stored lower case.
    tag: nonEmpty(query.get('tag'))?.toLowerCase() ?? null,
  };
}

/**
 * The URL query for a filter, keeping the parameters the board does not own. Empty: no `?`.
 */
export function queryWithFilter(current: string, filter: BoardFilter): string {
  const query = new URLSearchParams(current);
  for (const key of ['assignee', 'priority', 'tag'] as const) {
    const value = filter[key];
    if (value === null) {
      query.delete(key);
    } else {
      query.set(key, key === 'priority' ? value.toLowerCase() : value);
    }
  }
  const text = query.toString();
  return text === '' ? '' : `?${text}`;
}

export function isFiltered(filter: BoardFilter): boolean {
  return filter.assignee !== null || filter.priority !== null || filter.tag !== null;
}

export function matchesFilter(mission: BoardMission, filter: BoardFilter): boolean {
  if (filter.assignee === UNASSIGNED && mission.assigneeAgentId !== null) {
    return false;
  }
  if (
    filter.assignee !== null &&
    filter.assignee !== UNASSIGNED &&
    mission.assigneeAgentId !== filter.assignee
  ) {
    return false;
  }
  if (filter.priority !== null && mission.priority !== filter.priority) {
    return false;
  }
  return filter.tag === null || mission.tags.includes(filter.tag);
}

/** The loaded missions a filter lets through, column by column, in the same order. */
export function filterColumns(columns: BoardColumns, filter: BoardFilter): BoardColumns {
  if (!isFiltered(filter)) {
    return columns;
  }
  const shown = emptyColumns();
  for (const column of BOARD_COLUMNS) {
    shown[column] = columns[column].filter((mission) => matchesFilter(mission, filter));
  }
  return shown;
}

/** Every tag of the loaded missions, once each, in alphabetical order: the tag filter's choices. */
export function tagsOf(columns: BoardColumns): string[] {
  const tags = new Set(BOARD_COLUMNS.flatMap((column) => columns[column].flatMap((m) => m.tags)));
  return [...tags].sort((a, b) => a.localeCompare(b));
}

/** "Showing 3 of 52 missions": what a filter lets through of every mission the board counts. */
export function shownLabel(shown: number, total: number): string {
  return `Showing ${NUMBER.format(shown)} of ${NUMBER.format(total)} ${total === 1 ? 'mission' : 'missions'}`;
}

const NUMBER = new Intl.NumberFormat('en-US');

/**
 * Where a card dropped among the shown cards goes in its whole column: right after the shown card
 * above it, else right before the shown card below it, else at the end. The index is into the
 * column without the card, as {@link planMove} takes it.
 */
export function unfilteredIndex(
  columns: BoardColumns,
  missionId: string,
  column: BoardColumn,
  shownAbove: string | null,
  shownBelow: string | null,
): number {
  const rest = columns[column].filter((mission) => mission.id !== missionId);
  const above = shownAbove === null ? -1 : rest.findIndex((mission) => mission.id === shownAbove);
  if (above >= 0) {
    return above + 1;
  }
  const below = shownBelow === null ? -1 : rest.findIndex((mission) => mission.id === shownBelow);
  return below >= 0 ? below : rest.length;
}
