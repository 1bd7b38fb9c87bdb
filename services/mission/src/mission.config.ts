import {
  kafkaEnv,
  port,
  postgresEnv,
  runtimeEnv,
  Secret,
  subgraphEnv,
} from '@mission-control/config';
import { z } from 'zod';
import { priceCatalogProblem } from './runs/pricing';

export const missionConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(subgraphEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({
    MISSION_PORT: port(4003),
    /** Shared with the gateway: verifies the signed principal header it forwards. */
    INTERNAL_AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .transform((value) => new Secret(value)),
    /** The Kafka topic the relay publishes this service's events to. */
    MISSION_EVENTS_TOPIC: z.string().min(1).default('mission.events.v1'),
    /** The agent service's topic: the roster of agents missions may be assigned to. */
    AGENT_EVENTS_TOPIC: z.string().min(1).default('agent.events.v1'),
    /**
     * A JSON file of model prices (`{"version", "models": {name: {input, output, cachedInput}}}`,
     * US dollars per million tokens) that runs are priced with; the built-in list when unset.
     */
    RUN_PRICE_CATALOG_FILE: z
      .string()
      .min(1)
      .optional()
      .superRefine((file, context) => {
        const problem = file === undefined ? undefined : priceCatalogProblem(file);
        if (problem) {
          context.addIssue({ code: 'custom', message: problem });
        }
      }),
    /** How long a claim lasts unless its agent renews it (renewLease, or writing to its run). */
    MISSION_LEASE_SECONDS: z.coerce.number().int().min(5).max(86_400).default(300),
    /** How often each replica looks for claims whose lease ran out, and ends them. */
    MISSION_LEASE_SWEEP_SECONDS: z.coerce.number().min(0.2).max(300).default(5),
    /**
     * A run with no log line, usage or progress for this long ends as timed out (its agent is
     * told at once); 0: never. Its agent keeps the claim, to run again or give it back.
     */
    MISSION_RUN_IDLE_SECONDS: z.coerce.number().int().min(0).max(604_800).default(1_800),
    /** nextMission: hours a mission waits before it counts one priority level higher. */
    MISSION_DISPATCH_AGING_HOURS: z.coerce.number().min(0.001).max(8_760).default(24),
    /** Where the federation SDL is written at boot (default services/mission/schema.graphql). */
    MISSION_SCHEMA_FILE: z.string().min(1).optional(),
  });

export type MissionConfig = z.output<typeof missionConfigSchema>;
