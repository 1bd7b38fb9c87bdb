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

type PrismaLifecycle = { $connect(): Promise<void>; $disconnect(): Promise<void> };

/** A service's Prisma client as Nest holds it: connected at start, disconnected at shutdown. */
export type ServicePrismaClient<Client> = Client & {
  onModuleInit(): Promise<void>;
  onModuleDestroy(): Promise<void>;
};

/**
 * A service's generated `PrismaClient` bound to the service schema, for
 * `class PrismaService extends servicePrismaClient(PrismaClient, 'mission') {}`: the class is the
 * service's DI token and keeps the generated client's types. Nest's lifecycle hooks are plain
 * methods, so this library needs no Nest.
 */
export function servicePrismaClient<Client extends PrismaLifecycle>(
  Generated: new (options: { adapter: PrismaPg }) => Client,
  schema: string,
): new (options: DatabaseOptions) => ServicePrismaClient<Client> {
  const Base = Generated as new (options: { adapter: PrismaPg }) => PrismaLifecycle;
  class SchemaPrismaClient extends Base {
    constructor(options: DatabaseOptions) {
      super({ adapter: createPrismaAdapter({ ...options, schema }) });
    }

    async onModuleInit(): Promise<void> {
      await this.$connect();
    }

    async onModuleDestroy(): Promise<void> {
      await this.$disconnect();
    }
  }
  return SchemaPrismaClient as new (options: DatabaseOptions) => ServicePrismaClient<Client>;
}
