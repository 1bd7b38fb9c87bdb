import { Injectable } from '@nestjs/common';
import { assertWorkspace, type Principal } from '@mission-control/auth';
import { COLUMNS, type Column } from '../missions/board';
import { decodeCursor } from './board-cursor';
import { assertPageSize, columnPage, type ColumnPage } from './board-page';
import { BoardRepository } from './board.repository';

/** The board, whole or a page per column: any member of the workspace reads it. */
@Injectable()
export class BoardService {
  constructor(private readonly boards: BoardRepository) {}

  /** Every column, left to right: its first `perColumn` missions, or all of them when null. */
  async board(
    principal: Principal,
    workspaceId: string,
    perColumn: number | null,
  ): Promise<ColumnPage[]> {
    // Access first: another workspace's caller learns nothing, not even that an argument is bad.
    assertWorkspace(principal, workspaceId);
    if (perColumn !== null) {
      assertPageSize(perColumn, 'perColumn');
    }
    const slices = await this.boards.firstPages(workspaceId, perColumn);
    return COLUMNS.map((column) => {
      const { missions, totalCount } = slices[column];
      return columnPage(column, missions, totalCount, missions.length < totalCount);
    });
  }

  /** The next `first` missions of one column after the cursor `after` (null: from its start). */
  async column(
    principal: Principal,
    workspaceId: string,
    column: Column,
    first: number,
    after: string | null,
  ): Promise<ColumnPage> {
    assertWorkspace(principal, workspaceId);
    assertPageSize(first, 'first');
    const position = after === null ? null : decodeCursor(after, 'after');
    // One more than asked says whether another page follows.
    const { missions, totalCount } = await this.boards.page(
      workspaceId,
      column,
      first + 1,
      position,
    );
    return columnPage(column, missions.slice(0, first), totalCount, missions.length > first);
  }
}
