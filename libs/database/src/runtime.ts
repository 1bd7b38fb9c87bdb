import { PrismaPg } from '@prisma/adapter-pg';
import { assertSchemaName, parseDatabaseUrl, poolConfig } from './connection';

/** What a service's Prisma client needs from its config (`postgresEnv`). */
export type DatabaseOptions = {
  databaseUrl: string;
  poolSize?: number;
};

/**
 * The driver adapter a service's generated PrismaClient runs on: a pg pool sized by
 * DATABASE_POOL_SIZE, with queries qualified by (and `search_path` set to) the service schema.
 * (`?schema=` in the URL alone is ignored by the adapter.)
 */
export function createPrismaAdapter(options: DatabaseOptions & { schema: string }): PrismaPg {
  const schema = assertSchemaName(options.schema);
  return new PrismaPg(
    poolConfig(parseDatabaseUrl(options.databaseUrl), { schema, max: options.poolSize ?? 10 }),
    {
      schema,
    },
  );
}

type RawQueryable = { $queryRawUnsafe(query: string): PromiseLike<unknown> };

/** A readiness check (`ReadinessCheck` of @mission-control/platform) that runs `select 1`. */
export function postgresReadiness(prisma: RawQueryable): {
  readonly name: 'postgres';
  check(): Promise<void>;
} {
  return {
    name: 'postgres',
    async check() {
      await prisma.$queryRawUnsafe('select 1');
    },
  };
}
