import { kafkaEnv, port, postgresEnv, runtimeEnv } from '@mission-control/config';
import type { z } from 'zod';

export const agentConfigSchema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({ AGENT_PORT: port(4002) });

export type AgentConfig = z.output<typeof agentConfigSchema>;
