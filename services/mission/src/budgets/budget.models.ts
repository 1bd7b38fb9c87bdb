import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { MissionModule } from '../mission.module';
import type { BudgetPeriod } from './budget-period';
import type { BudgetStanding } from './budgets.service';

export enum BudgetPeriodValue {
  DAY = 'day',
  MONTH = 'month',
  TOTAL = 'total',
}
export enum BudgetStandingValue {
  OK = 'ok',
  WARNING = 'warning',
  EXCEEDED = 'exceeded',
  RESUMED = 'resumed',
}
registerEnumType(BudgetPeriodValue, {
  registerIn: () => MissionModule,
  name: 'BudgetPeriod',
  description: 'DAY and MONTH are UTC calendar periods; TOTAL never starts again.',
});
registerEnumType(BudgetStandingValue, {
  registerIn: () => MissionModule,
  name: 'BudgetStanding',
  description:
    'Where the current period leaves a budget. EXCEEDED: new runs and claims are refused and ' +
    'runs under it were cancelled. RESUMED: an admin let work go on past the limit until the ' +
    'period ends or the budget is changed.',
});

export const asPeriod = (value: BudgetPeriodValue): BudgetPeriod => value satisfies BudgetPeriod;
export const asStandingValue = (value: BudgetStanding) => value as BudgetStandingValue;

@ObjectType({
  registerIn: () => MissionModule,
  description: 'Token and money limits for the runs of a workspace, or of one of its agents.',
})
export class Budget {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field(() => ID, { nullable: true, description: 'Null: every run of the workspace counts.' })
  agentId!: string | null;

  @Field()
  name!: string;

  @Field(() => BudgetPeriodValue)
  period!: BudgetPeriodValue;

  // Float: token counts outgrow GraphQL's 32-bit Int; they are whole numbers.
  @Field(() => Float, { nullable: true, description: 'Input plus output tokens per period.' })
  tokenLimit!: number | null;

  @Field(() => Float, { nullable: true, description: 'US dollars per period.' })
  costLimitUsd!: number | null;

  @Field(() => Int, { description: 'The share of a limit (1–100) at which people are warned.' })
  warnPercent!: number;

  @Field({ description: 'The current period: 2026-12-07, 2026-12 or total.' })
  periodKey!: string;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the current period ends and spend starts from zero; null for TOTAL.',
  })
  periodEndsAt!: Date | null;

  @Field(() => Float)
  spentTokens!: number;

  @Field(() => Float, { description: 'US dollars spent in the current period.' })
  spentUsd!: number;

  @Field(() => BudgetStandingValue)
  standing!: BudgetStandingValue;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@InputType({ registerIn: () => MissionModule })
export class SetBudgetInput {
  @Field(() => ID, { nullable: true, description: 'The budget to change; left out: a new one.' })
  budgetId?: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'For one agent’s runs; left out: the whole workspace. Fixed once made.',
  })
  agentId?: string | null;

  @Field({ description: '1–100 characters.' })
  name!: string;

  @Field(() => BudgetPeriodValue)
  period!: BudgetPeriodValue;

  @Field(() => Float, { nullable: true, description: 'Whole tokens; 0 stops all spending.' })
  tokenLimit?: number | null;

  @Field(() => Float, { nullable: true, description: 'US dollars; at least one limit is needed.' })
  costLimitUsd?: number | null;

  @Field(() => Int, { nullable: true, description: '1–100; 80 when left out.' })
  warnPercent?: number | null;
}
