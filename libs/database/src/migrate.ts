import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import {
  parseDatabaseUrl,
  quoteIdent,
  withClient,
  withDatabase,
  type ConnectionFields,
} from './connection';
import { applyBackbone } from './backbone';
import {
  assertService,
  PrismaCommandError,
  runPrisma,
  SERVICES,
  serviceDir,
  type ServiceName,
} from './prisma-cli';

/** Creates the database named in `databaseUrl` if it does not exist. Resolves true if it created it. */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const fields = parseDatabaseUrl(databaseUrl);
  return withClient(withDatabase(fields, 'postgres'), async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      fields.database,
    ]);
    if (found.rowCount) {
      return false;
    }
    try {
      await client.query(`CREATE DATABASE ${quoteIdent(fields.database)}`);
      return true;
    } catch (error) {
      if ((error as { code?: string }).code === '42P04') {
        return false; // created concurrently
      }
      throw error;
    }
  }).catch((error: unknown) => {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `cannot ensure database "${fields.database}" on ${fields.host}:${fields.port}: ${reason}`,
      { cause: error },
    );
  });
}

export type MigrateOptions = {
  /** Services to migrate (default: all of them), each into its own schema. */
  services?: readonly string[];
  /** How many `prisma migrate deploy` processes run at once (default 2; migrations still apply under Prisma's advisory lock). */
  concurrency?: number;
  /** Receives one progress line per service as it finishes. */
  log?: (line: string) => void;
};

export type ServiceMigration = {
  service: ServiceName;
  durationMs: number;
  /** The CLI's last status line, e.g. "All migrations have been successfully applied." */
  summary: string;
};

/** What a service whose every migration is already applied reports, without starting the CLI. */
export const UP_TO_DATE = 'Up to date: every migration is applied.';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Whether the service's migration history holds exactly its migration folders, each finished with
 * the checksum Prisma records (the sha256 of migration.sql). Only then is the CLI skipped: it
 * costs seconds per service even with nothing to do, and every start runs migrations.
 */
async function upToDate(fields: ConnectionFields, service: ServiceName): Promise<boolean> {
  const dir = path.join(serviceDir(service), 'prisma', 'migrations');
  const local = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map(
      (entry) =>
        `${entry.name}:${sha256(readFileSync(path.join(dir, entry.name, 'migration.sql')))}`,
    )
    .sort();
  const applied = await withClient(fields, (client) =>
    client
      .query<{ migration: string }>(
        `SELECT migration_name || ':' || checksum AS migration
           FROM ${quoteIdent(service)}._prisma_migrations
          WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL
          ORDER BY 1`,
      )
      .then(
        ({ rows }) => rows.map((row) => row.migration),
        // No history table yet (42P01) or no schema (3F000): everything is pending.
        () => [],
      ),
  );
  return local.length === applied.length && local.every((entry, index) => entry === applied[index]);
}

/**
 * Creates the database if needed, then runs `prisma migrate deploy` for each service: its tables
 * and its `_prisma_migrations` history land in the Postgres schema named like the service; then
 * applies the event backbone's pending versions there (`applyBackbone`).
 * Works offline (bundled WASM schema engine). Rejects with a `PrismaCommandError` carrying the
 * CLI output if any service fails; services already migrated stay migrated.
 */
export async function migrateDatabase(
  databaseUrl: string,
  options: MigrateOptions = {},
): Promise<ServiceMigration[]> {
  const services = (options.services ?? SERVICES).map(assertService);
  const log = options.log ?? (() => undefined);
  await ensureDatabase(databaseUrl);

  const fields = parseDatabaseUrl(databaseUrl);
  const results: ServiceMigration[] = [];
  const failures: PrismaCommandError[] = [];
  const queue = [...services];
  const worker = async () => {
    for (let service = queue.shift(); service; service = queue.shift()) {
      const started = performance.now();
      let summary = UP_TO_DATE;
      if (!(await upToDate(fields, service))) {
        const run = await runPrisma(service, ['migrate', 'deploy'], databaseUrl);
        if (run.code !== 0) {
          const error = new PrismaCommandError(service, 'migrate deploy', run);
          failures.push(error);
          log(`✗ ${service.padEnd(12)} failed after ${seconds(run.durationMs)}`);
          continue;
        }
        summary = lastLine(run.stdout);
      }
      // After the service's own migrations, which created the backbone before libs/eventing
      // owned it: on those schemas the backbone's first version is a no-op that gets recorded.
      const backbone = await withClient(fields, (client) => applyBackbone(client, service));
      if (backbone.length > 0) {
        summary = `${summary} Backbone: ${backbone.join(', ')}.`;
      }
      const durationMs = performance.now() - started;
      results.push({ service, durationMs, summary });
      log(`✓ ${service.padEnd(12)} ${seconds(durationMs).padStart(6)}  ${summary}`);
    }
  };
  const concurrency = Math.max(1, Math.min(options.concurrency ?? 2, services.length));
  await Promise.all(Array.from({ length: concurrency }, worker));
  const [failure, ...more] = failures;
  if (failure) {
    throw more.length === 0
      ? failure
      : new AggregateError(failures, failures.map((f) => f.message).join('\n\n'));
  }
  return services.map((service) => results.find((result) => result.service === service)!);
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const lastLine = (output: string) =>
  output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .at(-1) ?? '';
