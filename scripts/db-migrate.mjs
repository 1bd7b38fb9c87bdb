#!/usr/bin/env node
// npm run db:migrate [-- <service>...]
// Creates the database in DATABASE_URL if missing, then applies every service's Prisma migrations
// into its own Postgres schema with the bundled WASM schema engine: no network needed.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const started = performance.now();
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// Each service's prisma.config.ts loads @mission-control/database from its build output.
const build = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-b', path.join(root, 'libs/database/tsconfig.lib.json')],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) {
  console.error('db:migrate: building libs/database failed');
  process.exit(1);
}

const { DEFAULT_DATABASE_URL, SERVICES, migrateDatabase, parseDatabaseUrl } = require(
  path.join(root, 'libs/database/dist/index.js'),
);
const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
const services = process.argv.slice(2).length > 0 ? process.argv.slice(2) : SERVICES;
const target = parseDatabaseUrl(databaseUrl);
console.log(
  `db:migrate ${target.host}:${target.port}/${target.database}: ${services.join(', ')} (libs/database built in ${seconds(performance.now() - started)})`,
);

try {
  await migrateDatabase(databaseUrl, { services, log: (line) => console.log(`  ${line}`) });
  console.log(`db:migrate done in ${seconds(performance.now() - started)}`);
} catch (error) {
  for (const failure of error instanceof AggregateError ? error.errors : [error]) {
    console.error(`\n${failure instanceof Error ? failure.message : String(failure)}`);
  }
  console.error(`\ndb:migrate failed after ${seconds(performance.now() - started)}`);
  process.exit(1);
}
