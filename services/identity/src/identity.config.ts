import { kafkaEnv, port, postgresEnv, runtimeEnv } from '@mission-control/config';
import type { z } from 'zod';

export const identityConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({ IDENTITY_PORT: port(4001) });

export type IdentityConfig = z.output<typeof identityConfigSchema>;
