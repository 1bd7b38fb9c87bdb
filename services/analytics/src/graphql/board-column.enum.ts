import { registerEnumType } from '@nestjs/graphql';
import type { Column } from '../common/board-column';
import { AnalyticsModule } from '../analytics.module';

// Identical to the mission subgraph's BoardColumn (names, values, description): federation
// composes an enum used as input and output only when every subgraph defines it alike.
export enum BoardColumnValue {
  BACKLOG = 'backlog',
  TODO = 'todo',
  IN_PROGRESS = 'in_progress',
  REVIEW = 'review',
  DONE = 'done',
  BLOCKED = 'blocked',
}
registerEnumType(BoardColumnValue, {
  registerIn: () => AnalyticsModule,
  name: 'BoardColumn',
  description: 'A column of the Kanban board.',
});

// The enum's values are exactly the service's columns: checked here so they cannot drift apart.
export const asColumn = (value: BoardColumnValue): Column => value satisfies Column;
export const toColumnValue = (column: Column): BoardColumnValue => column as BoardColumnValue;
