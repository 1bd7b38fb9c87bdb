import { AppError } from '@mission-control/errors';
import type { Column } from '../missions/board';
import type { MissionRecord } from '../missions/missions.repository';
import { encodeCursor } from './board-cursor';

/** The most missions one column page holds (`perColumn`, `first`). */
export const MAX_PAGE_SIZE = 200;

/** Some of a column's missions, in rank order, and how to get the ones after them. */
export type ColumnPage = {
  column: Column;
  missions: MissionRecord[];
  /** Every mission in the column, loaded or not. */
  totalCount: number;
  /** After the last mission of this page; null when the page is empty. */
  endCursor: string | null;
  hasNextPage: boolean;
};

/** Throws a VALIDATION_ERROR naming `argument` unless 1 ≤ size ≤ max (MAX_PAGE_SIZE unless said). */
export function assertPageSize(size: number, argument: string, max = MAX_PAGE_SIZE): void {
  if (!Number.isInteger(size) || size < 1 || size > max) {
    const message = `must be between 1 and ${max}`;
    throw AppError.validation(`${argument} ${message}`, {
      fields: [{ path: argument, message }],
    });
  }
}

export function columnPage(
  column: Column,
  missions: MissionRecord[],
  totalCount: number,
  hasNextPage: boolean,
): ColumnPage {
  const last = missions.at(-1);
  return {
    column,
    missions,
    totalCount,
    endCursor: last ? encodeCursor(last) : null,
    hasNextPage,
  };
}
