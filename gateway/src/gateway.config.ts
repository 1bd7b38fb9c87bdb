import { kafkaEnv, port, runtimeEnv } from '@mission-control/config';
import type { z } from 'zod';

export const gatewayConfigSchema = runtimeEnv
  .extend(kafkaEnv.shape)
  .extend({ GATEWAY_PORT: port(4000) });

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
