import {
  elasticsearchEnv,
  influxEnv,
  kafkaEnv,
  port,
  postgresEnv,
  runtimeEnv,
} from '@mission-control/config';
import type { z } from 'zod';

export const analyticsConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(elasticsearchEnv.shape)
  .extend(influxEnv.shape)
  .extend({ ANALYTICS_PORT: port(4005) });

export type AnalyticsConfig = z.output<typeof analyticsConfigSchema>;
