import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { BoardColumnValue, asColumn, toColumnValue, toMission } from '../graphql/mission.models';
import type { ColumnPage } from './board-page';
import { Board, BoardColumnPage } from './board.models';
import { BoardService } from './board.service';

const pageOf = (page: ColumnPage): BoardColumnPage => ({
  column: toColumnValue(page.column),
  missions: page.missions.map(toMission),
  totalCount: page.totalCount,
  pageInfo: { endCursor: page.endCursor, hasNextPage: page.hasNextPage },
});

/** Thin: access and limits are in BoardService. */
@Resolver()
export class BoardResolver {
  constructor(private readonly boards: BoardService) {}

  @Query(() => Board, {
    description:
      'Every column with its missions in rank order, or with `perColumn` (1–200) only the first ' +
      'that many of each; each column has its totalCount and the cursor to page on with boardColumn.',
  })
  async board(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('perColumn', { type: () => Int, nullable: true }) perColumn?: number | null,
  ): Promise<Board> {
    const columns = await this.boards.board(principal, workspaceId, perColumn ?? null);
    return { workspaceId, columns: columns.map(pageOf) };
  }

  @Query(() => BoardColumnPage, {
    description:
      'The next `first` (1–200) missions of one column after the cursor `after` (an endCursor ' +
      'of board or boardColumn), or from its start without one.',
  })
  async boardColumn(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('column', { type: () => BoardColumnValue }) column: BoardColumnValue,
    @Args('first', { type: () => Int }) first: number,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<BoardColumnPage> {
    return pageOf(
      await this.boards.column(principal, workspaceId, asColumn(column), first, after ?? null),
    );
  }
}
