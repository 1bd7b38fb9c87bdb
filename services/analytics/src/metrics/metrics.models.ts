import {
  Field,
  Float,
  GraphQLISODateTime,
  ID,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import type { Interval } from './time-buckets';
import { AnalyticsModule } from '../analytics.module';

// Values are the names: an argument's enum default reaches the resolver as the name.
export enum MetricIntervalValue {
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
}
registerEnumType(MetricIntervalValue, {
  registerIn: () => AnalyticsModule,
  name: 'MetricInterval',
  description: 'Bucket size of a time series; buckets start at UTC hours, days and Mondays.',
});

const INTERVAL_OF: Readonly<Record<MetricIntervalValue, Interval>> = {
  HOUR: 'hour',
  DAY: 'day',
  WEEK: 'week',
};
export const asInterval = (value: MetricIntervalValue): Interval => INTERVAL_OF[value];

@ObjectType({
  registerIn: () => AnalyticsModule,
  description: 'Missions created and moved to DONE in one bucket.',
})
export class ThroughputPoint {
  @Field(() => GraphQLISODateTime, { description: 'Where the bucket starts.' })
  time!: Date;

  @Field(() => Int)
  created!: number;

  @Field(() => Int, { description: 'Moves into DONE from another column.' })
  done!: number;
}

@ObjectType({
  registerIn: () => AnalyticsModule,
  description:
    'How an agent spent the part of a range that has passed, by the status it was in: busy, ' +
    'idle, or offline (no heartbeat, or in error). Time inactive (out of service) or before the ' +
    'agent was registered counts in none of them.',
})
export class AgentUtilisation {
  @Field(() => ID)
  agentId!: string;

  @Field(() => Float)
  busySeconds!: number;

  @Field(() => Float)
  idleSeconds!: number;

  @Field(() => Float, { description: 'Offline or in error.' })
  offlineSeconds!: number;

  @Field(() => Float, {
    description: 'busy / (busy + idle), from 0 to 1; 0 when the agent was never available.',
  })
  utilisation!: number;
}
