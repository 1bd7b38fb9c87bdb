#!/usr/bin/env node
// The migrations image's entry point: `prisma migrate deploy` for each service named (default:
// all), each into its own Postgres schema, against DATABASE_URL. The same code path as
// `npm run db:migrate` (libs/database), minus the TypeScript build: the image ships it built.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SERVICES, migrateDatabase, parseDatabaseUrl } = require('@mission-control/database');

const started = performance.now();
const seconds = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error('migrate: DATABASE_URL is not set');
  process.exit(78); // EX_CONFIG, like the services
}
const services = process.argv.slice(2).length > 0 ? process.argv.slice(2) : SERVICES;
const target = parseDatabaseUrl(databaseUrl);
console.log(`migrate ${target.host}:${target.port}/${target.database}: ${services.join(', ')}`);

try {
  // One at a time: a release's schema changes land in a predictable order.
  await migrateDatabase(databaseUrl, {
    services,
    concurrency: 1,
    log: (line) => console.log(`  ${line}`),
  });
  console.log(`migrate: done in ${seconds()}`);
} catch (error) {
  for (const failure of error instanceof AggregateError ? error.errors : [error]) {
    console.error(`\n${failure instanceof Error ? failure.message : String(failure)}`);
  }
  console.error(`\nmigrate: failed after ${seconds()}`);
  process.exit(1);
}
