import {
  elasticsearchEnv,
  influxEnv,
  kafkaEnv,
  loadConfig,
  postgresEnv,
} from '@mission-control/config';
import type { z } from 'zod';

const engineSchema = postgresEnv
  .extend(kafkaEnv.shape)
  .extend(elasticsearchEnv.shape)
  .extend(influxEnv.shape);

export type EngineEnv = z.output<typeof engineSchema>;

/** Where the engines are, read the same way the services read it (defaults = deploy/local). */
export const engineEnv = (env = process.env): EngineEnv => loadConfig(engineSchema, env);

/**
 * A name unique to this test run, safe as a database, index, topic or measurement prefix. Set by
 * the global setup; suites use it so parallel runs never share state.
 */
export function testRunId(): string {
  const id = process.env.MC_TEST_RUN_ID;
  if (!id) {
    throw new Error(
      'MC_TEST_RUN_ID is not set: run integration specs through jest.integration.config.js',
    );
  }
  return id;
}
