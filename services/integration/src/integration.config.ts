import { kafkaEnv, port, postgresEnv, runtimeEnv } from '@mission-control/config';
import type { z } from 'zod';

export const integrationConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({ INTEGRATION_PORT: port(4004) });

export type IntegrationConfig = z.output<typeof integrationConfigSchema>;
