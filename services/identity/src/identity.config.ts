import { parseSigningKey } from '@mission-control/auth';
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

export const identityConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(subgraphEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({
    IDENTITY_PORT: port(4001),
    /** JSON of a SigningKey (`{ privateJwk, publicJwk, kid }`) that signs access tokens. */
    IDENTITY_SIGNING_KEY: z
      .string()
      .min(1)
      .superRefine((value, context) => {
        try {
          parseSigningKey(value);
        } catch (error) {
          // The message never echoes the value: it holds the private key.
          context.addIssue({
            code: 'custom',
            message: error instanceof Error ? error.message : 'invalid signing key',
          });
        }
      })
      .transform((value) => new Secret(value)),
    /** Shared with the gateway: verifies the signed principal header it forwards. */
    INTERNAL_AUTH_SECRET: z
      .string()
      .min(32, 'must be at least 32 characters')
      .transform((value) => new Secret(value)),
    AUTH_ISSUER: z.string().min(1).default('mission-control'),
    AUTH_AUDIENCE: z.string().min(1).default('mission-control'),
    ACCESS_TOKEN_TTL_SECONDS: positiveInt(900),
    REFRESH_TOKEN_TTL_DAYS: positiveInt(30),
    INVITATION_TTL_HOURS: positiveInt(72),
    LOGIN_MAX_ATTEMPTS_PER_ACCOUNT: positiveInt(5),
    LOGIN_MAX_ATTEMPTS_PER_IP: positiveInt(20),
    /** The fixed window both login limits count failures in. */
    LOGIN_WINDOW_SECONDS: positiveInt(900),
    /** The Kafka topic the relay publishes this service's events to. */
    IDENTITY_EVENTS_TOPIC: z.string().min(1).default('identity.events.v1'),
    /** The agent service's topic: identity learns agent keys from it. */
    AGENT_EVENTS_TOPIC: z.string().min(1).default('agent.events.v1'),
    /** Where the federation SDL is written at boot (default services/identity/schema.graphql). */
    IDENTITY_SCHEMA_FILE: z.string().min(1).optional(),
  });

export type IdentityConfig = z.output<typeof identityConfigSchema>;
