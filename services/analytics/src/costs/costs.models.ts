import { Field, Float, GraphQLISODateTime, ID, Int, ObjectType } from '@nestjs/graphql';
import { AnalyticsModule } from '../analytics.module';

// Money in US dollars and token counts as Float, as on Run: sums outgrow GraphQL's 32-bit Int.
@ObjectType({
  registerIn: () => AnalyticsModule,
  description: 'Usage reported by runs in one bucket.',
})
export class CostPoint {
  @Field(() => GraphQLISODateTime, { description: 'Where the bucket starts.' })
  time!: Date;

  @Field(() => Float, { description: 'In US dollars, estimates included.' })
  costUsd!: number;

  @Field(() => Float, {
    description: 'The part of costUsd from runs on a flat-rate plan: what their tokens would cost.',
  })
  estimatedCostUsd!: number;

  @Field(() => Float, { description: 'Cached input tokens included.' })
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float)
  cachedInputTokens!: number;
}

@ObjectType({
  registerIn: () => AnalyticsModule,
  description:
    'One agent’s runs over a range: starts, ends and usage each counted when they happened, ' +
    'response times by the claim’s time.',
})
export class AgentRunStats {
  @Field(() => ID)
  agentId!: string;

  @Field(() => Int, { description: 'Runs started.' })
  runs!: number;

  @Field(() => Int, { description: 'Runs that ended, however.' })
  finishedRuns!: number;

  @Field(() => Int)
  succeededRuns!: number;

  @Field(() => Float, {
    nullable: true,
    description: 'succeededRuns / finishedRuns, from 0 to 1; null when none ended.',
  })
  successRate!: number | null;

  @Field(() => Float, { description: 'Cached input tokens included.' })
  inputTokens!: number;

  @Field(() => Float)
  outputTokens!: number;

  @Field(() => Float)
  cachedInputTokens!: number;

  @Field(() => Float, { description: 'In US dollars, estimates included.' })
  costUsd!: number;

  @Field(() => Float, {
    description: 'The part of costUsd from runs on a flat-rate plan: what their tokens would cost.',
  })
  estimatedCostUsd!: number;

  @Field(() => Int, { description: 'Usage reports no price was known for (counted as 0).' })
  unpricedReports!: number;

  @Field(() => Float, { nullable: true, description: 'Mean duration of the runs that ended.' })
  meanRunSeconds!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean time from assigned to claimed.' })
  meanClaimSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean time from claimed to the first log line of the claim’s runs.',
  })
  meanFirstOutputSeconds!: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Mean response time: assigned to the first log line.',
  })
  meanResponseSeconds!: number | null;
}

@ObjectType({ registerIn: () => AnalyticsModule })
export class AgentRunStatsPageInfo {
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next agents.' })
  endCursor!: string | null;

  @Field()
  hasNextPage!: boolean;
}

@ObjectType({
  registerIn: () => AnalyticsModule,
  description: 'Agents with runs or claims in the range, who cost most first.',
})
export class AgentRunStatsConnection {
  @Field(() => [AgentRunStats])
  nodes!: AgentRunStats[];

  @Field(() => AgentRunStatsPageInfo)
  pageInfo!: AgentRunStatsPageInfo;

  @Field(() => Int, { description: 'Agents in the whole list.' })
  totalCount!: number;
}
