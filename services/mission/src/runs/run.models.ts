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
import type { Billing, LogStream, RunOutcome } from './run.commands';
import type { RunStatus } from './runs.repository';

// Upper-case GraphQL names over the service's lower-case values, as for the board's enums.
export enum RunBillingValue {
  METERED = 'metered',
  SUBSCRIPTION = 'subscription',
}
export enum RunLogStreamValue {
  STDOUT = 'stdout',
  STDERR = 'stderr',
  SYSTEM = 'system',
}
export enum RunOutcomeValue {
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  TIMED_OUT = 'timed_out',
  ABANDONED = 'abandoned',
}
export enum RunStatusValue {
  RUNNING = 'running',
  SUCCEEDED = 'succeeded',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
  TIMED_OUT = 'timed_out',
  ABANDONED = 'abandoned',
}
registerEnumType(RunBillingValue, {
  registerIn: () => MissionModule,
  name: 'RunBilling',
  description:
    'METERED: paid per token. SUBSCRIPTION: a flat-rate plan; the cost shown is an estimate at list price.',
});
registerEnumType(RunLogStreamValue, { registerIn: () => MissionModule, name: 'RunLogStream' });
registerEnumType(RunOutcomeValue, {
  registerIn: () => MissionModule,
  name: 'RunOutcome',
  description: 'How a run ended. ABANDONED: its agent stopped answering.',
});
registerEnumType(RunStatusValue, {
  registerIn: () => MissionModule,
  name: 'RunStatus',
  description: 'RUNNING, or how the run ended.',
});

export const asBilling = (value: RunBillingValue): Billing => value satisfies Billing;
export const asLogStream = (value: RunLogStreamValue): LogStream => value satisfies LogStream;
export const asOutcome = (value: RunOutcomeValue): RunOutcome => value satisfies RunOutcome;
export const asStatus = (value: RunStatusValue): RunStatus => value satisfies RunStatus;

@ObjectType({ registerIn: () => MissionModule, description: 'One line of a run’s log.' })
export class RunLogLine {
  @Field(() => Int, { description: '1-based and gapless: the order the line was accepted in.' })
  position!: number;

  @Field(() => RunLogStreamValue)
  stream!: RunLogStreamValue;

  @Field({ description: 'As printed, ANSI colour codes included.' })
  text!: string;

  @Field(() => GraphQLISODateTime)
  loggedAt!: Date;
}

@ObjectType({ registerIn: () => MissionModule })
export class RunLogPage {
  @Field(() => [RunLogLine])
  lines!: RunLogLine[];

  @Field({ description: 'Whether lines after these are already logged.' })
  hasMore!: boolean;
}

@ObjectType({
  registerIn: () => MissionModule,
  description: 'One execution of a mission by an agent: its log, tokens, cost and outcome.',
})
export class Run {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field(() => ID)
  missionId!: string;

  @Field(() => ID)
  agentId!: string;

  @Field({
    description: 'What executes the work: a CLI adapter (claude-code, codex, shell…) or sdk.',
  })
  adapter!: string;

  @Field()
  model!: string;

  @Field()
  provider!: string;

  @Field(() => RunBillingValue)
  billing!: RunBillingValue;

  @Field(() => RunStatusValue)
  status!: RunStatusValue;

  @Field({ description: 'What was done, or why it stopped; empty while running.' })
  summary!: string;

  // Float: sums of tokens outgrow GraphQL's 32-bit Int; they are whole numbers.
  @Field(() => Float, { description: 'Every usage report’s input tokens, cached ones included.' })
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float)
  cachedInputTokens!: number;

  @Field(() => Float, {
    description:
      'In US dollars: the agents’ own figures, else list prices. An estimate when costEstimated.',
  })
  costUsd!: number;

  @Field({ description: 'The run is on a flat-rate plan: costUsd is what its tokens would cost.' })
  costEstimated!: boolean;

  @Field(() => Int, {
    description: 'Usage reports for a model no price is known for, and no figure was given.',
  })
  unpricedReports!: number;

  @Field(() => Int)
  logLines!: number;

  @Field(() => ID, { nullable: true, description: 'The budget whose hard stop cancelled it.' })
  budgetId!: string | null;

  @Field({ description: 'Its agent’s latest progress note; empty before the first.' })
  progressNote!: string;

  @Field(() => Int, { nullable: true, description: 'How far along (0–100) its agent said it was.' })
  progressPercent!: number | null;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType({ registerIn: () => MissionModule })
export class RunPageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next runs.' })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType({ registerIn: () => MissionModule, description: 'Runs, newest first.' })
export class RunConnection {
  @Field(() => [Run])
  nodes!: Run[];

  @Field(() => RunPageInfo)
  pageInfo!: RunPageInfo;
}

@InputType({ registerIn: () => MissionModule })
export class StartRunInput {
  @Field({ description: 'claude-code, codex, shell, sdk… (1–100 characters).' })
  adapter!: string;

  @Field()
  model!: string;

  @Field()
  provider!: string;

  @Field(() => RunBillingValue, { nullable: true, description: 'METERED when left out.' })
  billing?: RunBillingValue | null;
}

@InputType({ registerIn: () => MissionModule })
export class RunLogLineInput {
  @Field(() => RunLogStreamValue, { nullable: true, description: 'STDOUT when left out.' })
  stream?: RunLogStreamValue | null;

  @Field({ description: 'One line, at most 8,192 characters, without a line break.' })
  text!: string;
}

@InputType({ registerIn: () => MissionModule })
export class RunUsageInput {
  @Field()
  model!: string;

  @Field(() => Int)
  inputTokens!: number;

  @Field(() => Int)
  outputTokens!: number;

  @Field(() => Int, { nullable: true, description: 'Part of inputTokens; 0 when left out.' })
  cachedInputTokens?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'What the step cost in US dollars, when the agent knows; else list prices apply.',
  })
  costUsd?: number | null;
}

@ObjectType({ registerIn: () => MissionModule })
export class RunLogAppended {
  @Field(() => Int)
  firstPosition!: number;

  @Field(() => Int)
  lastPosition!: number;
}
