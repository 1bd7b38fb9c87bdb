import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  assertSchemaName,
  type ConnectionFields,
  parseDatabaseUrl,
  poolConfig,
  quoteIdent,
  withClient,
} from './connection';

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

/**
 * Runs a migration script as one simple-protocol query, like Prisma's native engine does. Upstream
 * splits the script on every `;`, which breaks function bodies, DO blocks and string literals.
 */
function runScriptsWhole(adapter: PgAdapter): PgAdapter {
  adapter.executeScript = async (script: string) => {
    await adapter.executeRaw({ sql: script, args: [], argTypes: [] });
  };
  return adapter;
}

/**
 * `@prisma/adapter-pg` for the Prisma CLI's JS (WASM) schema engine, with the upstream bugs that
 * stop `migrate deploy|dev|diff` and `db push` from working fixed:
 * - `"char"` and `name` catalog columns are read as text (prisma/orm#27403);
 * - connections are built from discrete fields, so a connection string cannot override the shadow
 *   database name;
 * - the shadow database's pool is closed before the database is dropped, and the admin connection
 *   used to create it is closed too;
 * - `search_path` is the service schema, so its tables and `_prisma_migrations` live there;
 * - idle pools never keep the CLI alive (`allowExitOnIdle`), so it exits as soon as it is done.
 */
export class MigrationAdapterFactory extends PrismaPg {
  private readonly fields: ConnectionFields;
  private readonly serviceSchema: string;

  constructor(databaseUrl: string, schema: string) {
    const fields = parseDatabaseUrl(databaseUrl);
    super(poolConfig(fields, { schema, max: 4, idleTimeoutMillis: 1_000 }), {
      schema: assertSchemaName(schema),
    });
    this.fields = fields;
    this.serviceSchema = schema;
  }

  override async connect(): Promise<PgAdapter> {
    return runScriptsWhole(await super.connect());
  }

  override async connectToShadowDb(): Promise<PgAdapter> {
    const database = `prisma_migrate_shadow_db_${randomUUID().replaceAll('-', '')}`;
    await withClient(this.fields, (client) =>
      client.query(`CREATE DATABASE ${quoteIdent(database)}`),
    );
    const shadow = await new PrismaPg(
      poolConfig(
        { ...this.fields, database },
        { schema: this.serviceSchema, max: 4, idleTimeoutMillis: 1_000 },
      ),
      { schema: this.serviceSchema },
    ).connect();
    const closePool = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      try {
        await closePool();
      } finally {
        await withClient(this.fields, (client) =>
          client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`),
        );
      }
    };
    return runScriptsWhole(shadow);
  }
}

export function createMigrationAdapter(
  databaseUrl: string,
  schema: string,
): MigrationAdapterFactory {
  return new MigrationAdapterFactory(databaseUrl, schema);
}
