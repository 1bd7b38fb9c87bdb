import {
  Field,
  Float,
  GraphQLISODateTime,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import { AnalyticsModule } from '../analytics.module';
import type { HostUsageInterval } from '../metrics/host-usage';

// Values are the names: an argument's enum default reaches the resolver as the name.
export enum HostUsageIntervalValue {
  MINUTE = 'MINUTE',
  FIVE_MINUTES = 'FIVE_MINUTES',
  FIFTEEN_MINUTES = 'FIFTEEN_MINUTES',
  HOUR = 'HOUR',
  DAY = 'DAY',
}
registerEnumType(HostUsageIntervalValue, {
  registerIn: () => AnalyticsModule,
  name: 'HostUsageInterval',
  description: 'Bucket size of a host’s usage; buckets start at whole UTC minutes, hours, days.',
});

const INTERVAL_OF: Readonly<Record<HostUsageIntervalValue, HostUsageInterval>> = {
  MINUTE: 'minute',
  FIVE_MINUTES: 'five_minutes',
  FIFTEEN_MINUTES: 'fifteen_minutes',
  HOUR: 'hour',
  DAY: 'day',
};
export const asHostUsageInterval = (value: HostUsageIntervalValue): HostUsageInterval =>
  INTERVAL_OF[value];

// Bytes as Float: they outgrow GraphQL's 32-bit Int.
@ObjectType({
  registerIn: () => AnalyticsModule,
  description:
    'A runtime host’s samples in one bucket; the figures are null when no sample came in it.',
})
export class HostUsagePoint {
  @Field(() => GraphQLISODateTime, { description: 'Where the bucket starts.' })
  time!: Date;

  @Field(() => Int)
  samples!: number;

  @Field(() => Float, { nullable: true, description: 'Mean CPU use, from 0 to 100.' })
  cpuPercent!: number | null;

  @Field(() => Float, { nullable: true, description: 'Highest CPU use sampled.' })
  cpuPercentMax!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean memory used.' })
  memoryUsedBytes!: number | null;

  @Field(() => Float, { nullable: true })
  memoryTotalBytes!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean disk used.' })
  diskUsedBytes!: number | null;

  @Field(() => Float, { nullable: true })
  diskTotalBytes!: number | null;
}
