import { unrefEngineTimers } from './engine-timers';
import { createMigrationAdapter, type MigrationAdapterFactory } from './migration-adapter';

/** Where every service's database lives unless DATABASE_URL says otherwise (matches `postgresEnv`). */
export const DEFAULT_DATABASE_URL = 'postgresql://postgres@127.0.0.1:5432/mission_control';

export type ServicePrismaConfig = {
  experimental: { adapter: true };
  engine: 'js';
  schema: string;
  migrations: { path: string };
  adapter: () => Promise<MigrationAdapterFactory>;
};

/**
 * The Prisma CLI configuration of one service: its `prisma/schema.prisma`, its own migration
 * history in `prisma/migrations`, and the bundled WASM schema engine driving Postgres through the
 * fixed migration adapter, confined to the Postgres schema named like the service. Paths are
 * relative to the service's `prisma.config.ts`. Only meant to be called from a `prisma.config.ts`:
 * it also keeps the CLI from lingering after success (see `unrefEngineTimers`).
 */
export function servicePrismaConfig(service: string): ServicePrismaConfig {
  unrefEngineTimers();
  // The schema's `url = env("DATABASE_URL")` must resolve even for `prisma generate`.
  process.env.DATABASE_URL ||= DEFAULT_DATABASE_URL;
  return {
    experimental: { adapter: true },
    engine: 'js',
    schema: 'prisma/schema.prisma',
    migrations: { path: 'prisma/migrations' },
    adapter: () =>
      Promise.resolve(
        createMigrationAdapter(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, service),
      ),
  };
}
