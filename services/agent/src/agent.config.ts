import {
  kafkaEnv,
  port,
  postgresEnv,
  runtimeEnv,
  Secret,
  subgraphEnv,
} from '@mission-control/config';
import { z } from 'zod';

const positiveInt = (defaultValue: number) => z.coerce.number().int().min(1).default(defaultValue);

export const agentConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(subgraphEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({
    AGENT_PORT: port(4002),
    /** Shared with the gateway: verifies the signed principal header it forwards. */
    INTERNAL_AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .transform((value) => new Secret(value)),
    /** Heartbeats each agent may send per minute (counted in Postgres, across replicas). */
    AGENT_HEARTBEATS_PER_MINUTE: positiveInt(6),
    /** An active agent with no heartbeat for this long is marked offline. */
    AGENT_OFFLINE_AFTER_SECONDS: positiveInt(90),
    /** How often each replica looks for agents whose heartbeats stopped. */
    AGENT_PRESENCE_SWEEP_INTERVAL_MS: positiveInt(10_000),
    /** The longest time to live a running agent may give a sub-agent it spawns. */
    AGENT_SUB_AGENT_MAX_TTL_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3_600),
    /** Sub-agents in service one agent may have at once. */
    AGENT_SUB_AGENT_MAX_LIVE: z.coerce.number().int().min(1).max(1_000).default(10),
    /** How often each replica looks for sub-agents whose time ran out or whose parent stopped. */
    AGENT_SUB_AGENT_SWEEP_INTERVAL_MS: positiveInt(5_000),
    /** A runtime host with no sample for this long is offline (runners sample every 15 s). */
    AGENT_HOST_OFFLINE_AFTER_SECONDS: positiveInt(60),
    /** Samples each host may send per minute (counted in Postgres, across replicas). */
    AGENT_HOST_SAMPLES_PER_MINUTE: positiveInt(12),
    /** The Kafka topic the relay publishes this service's events to. */
    AGENT_EVENTS_TOPIC: z.string().min(1).default('agent.events.v1'),
    /** The mission service's topic: the missions whose arrival wakes agents (wake URLs). */
    MISSION_EVENTS_TOPIC: z.string().min(1).default('mission.events.v1'),
    /**
     * Whether agents' wake URLs may point to loopback, private and link-local addresses. Unset:
     * yes outside production, no in production (a tenant's URL must not reach the server's own
     * network).
     */
    AGENT_WAKE_ALLOW_PRIVATE_URLS: z.stringbool().optional(),
    /** How long one wake POST may take before it counts as failed (and is retried). */
    AGENT_WAKE_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
    /** Attempts per wake, the first included, before it is given up. */
    AGENT_WAKE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
    /** The wait after a wake's first failed attempt; it doubles after each further one. */
    AGENT_WAKE_RETRY_BASE_MS: z.coerce.number().int().min(10).max(3_600_000).default(30_000),
    /** The longest wait between two attempts. */
    AGENT_WAKE_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(1_800_000),
    /** The least time between two wakes POSTed to one agent; wakes in between become one. */
    AGENT_WAKE_MIN_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(1_000),
    /** How often each replica looks for wakes that are due. */
    AGENT_WAKE_POLL_INTERVAL_MS: positiveInt(1_000),
    /** How long finished wake deliveries are kept (each agent's latest always). */
    AGENT_WAKE_RETENTION_HOURS: z.coerce.number().min(0.001).max(8_760).default(72),
    /** Where the federation SDL is written at boot (default services/agent/schema.graphql). */
    AGENT_SCHEMA_FILE: z.string().min(1).optional(),
  });

export type AgentConfig = z.output<typeof agentConfigSchema>;
