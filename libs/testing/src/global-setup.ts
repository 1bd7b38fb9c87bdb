import { randomBytes } from 'node:crypto';
import type { Config } from 'jest';
import { generateSigningKey } from '@mission-control/auth';
import { migrateDatabase } from '@mission-control/database';
import { ensureEngines } from './infra';
import { createDatabase } from './test-database';
import { engineEnv } from './test-env';

type ProjectConfig = { globals?: { mcMigrate?: string[] } };

/**
 * Runs once per integration jest run: engines up, then a database of this run's own, migrated
 * for the services the project asked for. Workers inherit the environment set here.
 */
export default async function globalSetup(_global: Config, project: ProjectConfig): Promise<void> {
  await setUpTestRun({ services: project.globals?.mcMigrate ?? [] });
}

/**
 * Engines up, a database, index prefix, metrics database and secrets of this run's own, in this
 * process's environment (what every process it starts inherits); `tearDownTestRun` removes them.
 */
export async function setUpTestRun(options: { services: string[] }): Promise<void> {
  ensureEngines();
  const env = engineEnv();
  const runId = `mc_test_${Date.now().toString(36)}_${process.pid}`;
  const databaseUrl = await createDatabase(env.DATABASE_URL, runId);
  if (options.services.length > 0) {
    await migrateDatabase(databaseUrl, { services: options.services });
  }
  process.env.MC_TEST_RUN_ID = runId;
  process.env.MC_TEST_BASE_DATABASE_URL = env.DATABASE_URL;
  process.env.DATABASE_URL = databaseUrl;
  process.env.ELASTICSEARCH_INDEX_PREFIX = runId;
  process.env.INFLUX_DATABASE = runId;
  // Secrets of this run only: the identity service signs with the key, the gateway and every
  // subgraph share the principal-header secret.
  process.env.INTERNAL_AUTH_SECRET ??= randomBytes(32).toString('base64url');
  process.env.IDENTITY_SIGNING_KEY ??= JSON.stringify(await generateSigningKey());
}
