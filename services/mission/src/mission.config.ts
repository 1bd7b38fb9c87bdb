import {
  kafkaEnv,
  port,
  postgresEnv,
  runtimeEnv,
  Secret,
  subgraphEnv,
} from '@mission-control/config';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_PRICE_CATALOG, priceCatalogSchema, type PriceCatalog } from './runs/pricing';

/** The price catalog a file holds (JSON: version and prices per model), checked at boot. */
function priceCatalogFrom(file: string | undefined, context: z.RefinementCtx): PriceCatalog {
  if (file === undefined) {
    return DEFAULT_PRICE_CATALOG;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    context.addIssue({
      code: 'custom',
      message: `cannot read a JSON price catalog from ${file}: ${error instanceof Error ? error.message : String(error)}`,
    });
    return z.NEVER;
  }
  const catalog = priceCatalogSchema.safeParse(parsed);
  if (!catalog.success) {
    context.addIssue({
      code: 'custom',
      message: `${file} is not a price catalog: ${catalog.error.issues.map((issue) => `${issue.path.join('.') || 'catalog'} ${issue.message}`).join('; ')}`,
    });
    return z.NEVER;
  }
  return catalog.data;
}

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
    RUN_PRICE_CATALOG_FILE: z.string().min(1).optional().transform(priceCatalogFrom),
    /** Where the federation SDL is written at boot (default services/mission/schema.graphql). */
    MISSION_SCHEMA_FILE: z.string().min(1).optional(),
  });

export type MissionConfig = z.output<typeof missionConfigSchema>;
