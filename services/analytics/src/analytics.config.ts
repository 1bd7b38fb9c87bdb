import {
  elasticsearchEnv,
  influxEnv,
  kafkaEnv,
  port,
  postgresEnv,
  runtimeEnv,
  Secret,
  subgraphEnv,
} from '@mission-control/config';
import { z } from 'zod';

/** What the projections need: the engines and the topics (the rebuild command reads only this). */
export const projectionsConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend(elasticsearchEnv.shape)
  .extend(influxEnv.shape)
  .extend({
    /**
     * Where the search index lives: Elasticsearch, or Postgres full-text in this service's
     * database (standalone mode). ELASTICSEARCH_* are used only with elasticsearch.
     */
    ANALYTICS_SEARCH_ENGINE: z.enum(['elasticsearch', 'postgres']).default('elasticsearch'),
    /**
     * Where the metrics series live: InfluxDB, or time-bucketed tables in this service's database
     * (standalone mode). INFLUX_* are used only with influxdb.
     */
    ANALYTICS_METRICS_ENGINE: z.enum(['influxdb', 'postgres']).default('influxdb'),
    /** The agent service's topic: the same name and variable the producer uses. */
    AGENT_EVENTS_TOPIC: z.string().min(1).default('agent.events.v1'),
    /** The mission service's topic: the same name and variable the producer uses. */
    MISSION_EVENTS_TOPIC: z.string().min(1).default('mission.events.v1'),
    /** Consumer group and inbox name of the projections; the dead-letter topic is `<name>.dlq`. */
    ANALYTICS_CONSUMER_GROUP: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ., _ and -')
      .default('analytics-projections'),
  });

export type ProjectionsConfig = z.output<typeof projectionsConfigSchema>;

export const analyticsConfigSchema = projectionsConfigSchema.extend(subgraphEnv.shape).extend({
  ANALYTICS_PORT: port(4005),
  /** Shared with the gateway: verifies the signed principal header it forwards. */
  INTERNAL_AUTH_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .transform((value) => new Secret(value)),
  /** Off: the API only, no live consumer (a second replica's API, say). */
  ANALYTICS_PROJECTIONS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
  /** Where the federation SDL is written at boot (default services/analytics/schema.graphql). */
  ANALYTICS_SCHEMA_FILE: z.string().min(1).optional(),
});

export type AnalyticsConfig = z.output<typeof analyticsConfigSchema>;
