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
    /** The Kafka topic the relay publishes this service's events to. */
    AGENT_EVENTS_TOPIC: z.string().min(1).default('agent.events.v1'),
    /** Where the federation SDL is written at boot (default services/agent/schema.graphql). */
    AGENT_SCHEMA_FILE: z.string().min(1).optional(),
  });

export type AgentConfig = z.output<typeof agentConfigSchema>;
