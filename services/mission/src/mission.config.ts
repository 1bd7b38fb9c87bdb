import { kafkaEnv, port, postgresEnv, runtimeEnv } from '@mission-control/config';
import type { z } from 'zod';

export const missionConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({ MISSION_PORT: port(4003) });

export type MissionConfig = z.output<typeof missionConfigSchema>;
