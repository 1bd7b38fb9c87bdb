import { missionV1 } from '@mission-control/proto';

/** The board's columns, left to right (PRODUCT M2). */
export const COLUMNS = ['backlog', 'todo', 'in_progress', 'review', 'done', 'blocked'] as const;
export type Column = (typeof COLUMNS)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

const columnToProto: Record<Column, missionV1.BoardColumn> = {
  backlog: missionV1.BoardColumn.BACKLOG,
  todo: missionV1.BoardColumn.TODO,
  in_progress: missionV1.BoardColumn.IN_PROGRESS,
  review: missionV1.BoardColumn.REVIEW,
  done: missionV1.BoardColumn.DONE,
  blocked: missionV1.BoardColumn.BLOCKED,
};

const priorityToProto: Record<Priority, missionV1.Priority> = {
  low: missionV1.Priority.LOW,
  medium: missionV1.Priority.MEDIUM,
  high: missionV1.Priority.HIGH,
  urgent: missionV1.Priority.URGENT,
};

export const toProtoColumn = (column: Column): missionV1.BoardColumn => columnToProto[column];
export const toProtoPriority = (priority: Priority): missionV1.Priority =>
  priorityToProto[priority];

/** Unspecified (events older than the field) reads as the backlog, where missions start. */
export const fromProtoColumn = (column: missionV1.BoardColumn): Column =>
  COLUMNS.find((candidate) => columnToProto[candidate] === column) ?? 'backlog';

export const fromProtoPriority = (priority: missionV1.Priority): Priority =>
  PRIORITIES.find((candidate) => priorityToProto[candidate] === priority) ?? 'medium';

export const isColumn = (value: string): value is Column =>
  (COLUMNS as readonly string[]).includes(value);
export const isPriority = (value: string): value is Priority =>
  (PRIORITIES as readonly string[]).includes(value);
