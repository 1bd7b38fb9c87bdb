import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { BoardColumnValue, Mission } from '../graphql/mission.models';
import { MissionModule } from '../mission.module';

@ObjectType({
  registerIn: () => MissionModule,
  description: 'Where a page of a column ends, and whether more missions follow.',
})
export class BoardColumnPageInfo {
  @Field(() => String, {
    nullable: true,
    description: 'Pass as `after` to boardColumn for the next missions; null for an empty page.',
  })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType({ registerIn: () => MissionModule })
export class BoardColumnMissions {
  @Field(() => BoardColumnValue)
  column!: BoardColumnValue;

  @Field(() => [Mission], {
    description: 'In rank order: all of them, or the first `perColumn` when board was asked so.',
  })
  missions!: Mission[];

  @Field(() => Int, { description: 'Every mission in the column, however many are listed.' })
  totalCount!: number;

  @Field(() => BoardColumnPageInfo)
  pageInfo!: BoardColumnPageInfo;
}

@ObjectType({
  registerIn: () => MissionModule,
  description: 'A workspace’s Kanban board: every column, left to right.',
})
export class Board {
  @Field(() => ID)
  workspaceId!: string;

  @Field(() => [BoardColumnMissions])
  columns!: BoardColumnMissions[];
}

@ObjectType({
  registerIn: () => MissionModule,
  description: 'The next missions of one column, after a cursor.',
})
export class BoardColumnPage {
  @Field(() => BoardColumnValue)
  column!: BoardColumnValue;

  @Field(() => [Mission], { description: 'In rank order.' })
  missions!: Mission[];

  @Field(() => Int, { description: 'Every mission in the column, however many are listed.' })
  totalCount!: number;

  @Field(() => BoardColumnPageInfo)
  pageInfo!: BoardColumnPageInfo;
}
