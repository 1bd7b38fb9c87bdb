import { missionV1 } from '@mission-control/proto';

/** The Kanban columns, left to right, as the mission service names them. */
export const COLUMNS = ['backlog', 'todo', 'in_progress', 'review', 'done', 'blocked'] as const;
export type Column = (typeof COLUMNS)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

const { BoardColumn, Priority: ProtoPriority } = missionV1;

/** A column from the contract; unspecified (events older than the field) means the backlog. */
export function columnOf(column: missionV1.BoardColumn): Column {
  switch (column) {
    case BoardColumn.UNSPECIFIED:
    case BoardColumn.BACKLOG:
      return 'backlog';
    case BoardColumn.TODO:
      return 'todo';
    case BoardColumn.IN_PROGRESS:
      return 'in_progress';
    case BoardColumn.REVIEW:
      return 'review';
    case BoardColumn.DONE:
      return 'done';
    case BoardColumn.BLOCKED:
      return 'blocked';
    default:
      return assertNever(column);
  }
}

/** A priority from the contract; unspecified means medium, as the mission service reads it. */
export function priorityOf(priority: missionV1.Priority): Priority {
  switch (priority) {
    case ProtoPriority.UNSPECIFIED:
    case ProtoPriority.MEDIUM:
      return 'medium';
    case ProtoPriority.LOW:
      return 'low';
    case ProtoPriority.HIGH:
      return 'high';
    case ProtoPriority.URGENT:
      return 'urgent';
    default:
      return assertNever(priority);
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value ${String(value)}`);
}
