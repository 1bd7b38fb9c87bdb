import { readdirSync } from 'node:fs';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  applyBackbone,
  backboneVersions,
  checkSchemaDrift,
  createMigrationAdapter,
  createPrismaAdapter,
  DEFAULT_DATABASE_URL,
  migrateDatabase,
  parseDatabaseUrl,
  runPrisma,
  SERVICES,
  serviceDir,
  type ServiceMigration,
  UP_TO_DATE,
  withClient,
  withDatabase,
} from '@mission-control/database';

const base = parseDatabaseUrl(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
const database = `mc_database_test_${Date.now().toString(36)}_${process.pid}`;
const target = withDatabase(base, database);
const databaseUrl = (() => {
  const url = new URL(process.env.DATABASE_URL || DEFAULT_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
})();

const onTarget = <T>(sql: string, values: unknown[] = []) =>
  withClient(target, async (client) => (await client.query(sql, values)).rows as T[]);
const onServer = (sql: string) =>
  withClient(withDatabase(base, 'postgres'), (client) => client.query(sql));

const sql = (text: string) => ({ sql: text, args: [], argTypes: [] });

/** The backbone tables' columns, indexes and triggers in a schema, with the schema name left out. */
const backboneShape = async (schema: string) => ({
  columns: await onTarget(
    `SELECT table_name, ordinal_position, column_name, data_type, is_nullable,
            replace(column_default, $1 || '.', '') AS column_default
       FROM information_schema.columns
      WHERE table_schema = $1 AND table_name IN ('events', 'relay_checkpoints', 'inbox')
      ORDER BY 1, 2`,
    [schema],
  ),
  indexes: await onTarget(
    `SELECT indexname, replace(indexdef, $1 || '.', '') AS def FROM pg_indexes
      WHERE schemaname = $1 AND tablename IN ('events', 'relay_checkpoints', 'inbox') ORDER BY 1`,
    [schema],
  ),
  triggers: await onTarget(
    `SELECT t.tgname, t.tgtype, p.proname, p.prosrc FROM pg_trigger t
       JOIN pg_proc p ON p.oid = t.tgfoid
      WHERE t.tgrelid = ($1 || '.events')::regclass AND NOT t.tgisinternal ORDER BY 1`,
    [schema],
  ),
});

describe('offline Prisma migrations, one Postgres schema per service', () => {
  let migrations: ServiceMigration[];

  beforeAll(async () => {
    const lines: string[] = [];
    migrations = await migrateDatabase(databaseUrl, { log: (line) => lines.push(line) });
    process.stdout.write(`migrateDatabase(${database}):\n  ${lines.join('\n  ')}\n`);
  });

  afterAll(async () => {
    await onServer(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
  });

  it('creates the database and applies every service', () => {
    expect(migrations.map((m) => m.service)).toEqual([...SERVICES]);
    for (const migration of migrations) {
      expect(migration.summary).toMatch(/successfully applied/);
    }
  });

  it("puts each service's tables and migration history in its own schema, nothing in public", async () => {
    const tables = await onTarget<{ schema: string; table: string }>(
      `SELECT schemaname::text AS schema, tablename::text AS table FROM pg_tables
        WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2`,
    );
    // Nothing outside the services' schemas; each has the event backbone's tables (the exact
    // set per service is proven by its own drift spec).
    expect([...new Set(tables.map((row) => row.schema))]).toEqual([...SERVICES].sort());
    for (const schema of SERVICES) {
      expect(tables.filter((row) => row.schema === schema).map((row) => row.table)).toEqual(
        expect.arrayContaining(['_prisma_migrations', 'events', 'inbox', 'relay_checkpoints']),
      );
    }
    for (const service of SERVICES) {
      const applied = await onTarget<{ migration_name: string; finished: boolean }>(
        `SELECT migration_name, finished_at IS NOT NULL AS finished FROM "${service}"._prisma_migrations ORDER BY migration_name`,
      );
      const folders = readdirSync(path.join(serviceDir(service), 'prisma', 'migrations'), {
        withFileTypes: true,
      })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(applied).toEqual(folders.map((name) => ({ migration_name: name, finished: true })));
    }
  });

  it('is idempotent: a second run applies nothing, and needs no Prisma CLI to know it', async () => {
    const again = await migrateDatabase(databaseUrl, { services: ['identity', 'analytics'] });
    expect(again.map((m) => m.summary)).toEqual([UP_TO_DATE, UP_TO_DATE]);
  });

  it('hands anything short of an exact history to the CLI', async () => {
    // An edited migration: the recorded checksum no longer matches the folder's migration.sql.
    await onTarget(
      `UPDATE integration._prisma_migrations SET checksum = 'edited' WHERE migration_name = (
         SELECT min(migration_name) FROM integration._prisma_migrations)`,
    );
    const [run] = await migrateDatabase(databaseUrl, { services: ['integration'] });
    expect(run!.summary).not.toBe(UP_TO_DATE);
  });

  // Each service's own integration spec proves its database has no drift (same helper); here the
  // helper itself is proven to see drift, so that "no drift" there means something.
  it('reports drift when the live table differs from schema.prisma', async () => {
    await expect(checkSchemaDrift('mission', databaseUrl)).resolves.toEqual({
      service: 'mission',
      inSync: true,
      diff: '',
    });
    await onTarget('DROP INDEX mission.events_stream_id_version_key');
    await onTarget('ALTER TABLE mission.events ADD COLUMN rogue int');
    try {
      const report = await checkSchemaDrift('mission', databaseUrl);
      expect(report.inSync).toBe(false);
      expect(report.diff).toMatch(/DROP COLUMN "rogue"/);
      expect(report.diff).toMatch(/CREATE UNIQUE INDEX "events_stream_id_version_key"/);
    } finally {
      await onTarget('ALTER TABLE mission.events DROP COLUMN rogue');
      await onTarget(
        'CREATE UNIQUE INDEX events_stream_id_version_key ON mission.events (stream_id, version)',
      );
    }
    await expect(checkSchemaDrift('mission', databaseUrl)).resolves.toMatchObject({ inSync: true });
  });

  it('reports a pending migration as drift', async () => {
    await onTarget(`DELETE FROM agent._prisma_migrations`);
    const report = await checkSchemaDrift('agent', databaseUrl);
    expect(report.inSync).toBe(false);
    expect(report.diff).toMatch(/not yet been applied[\s\S]*20261122000000_init/);
  });

  // The backbone is libs/eventing's: its first version is what the services' own migrations
  // created, so a schema that only ever had applyBackbone ends exactly like a migrated one.
  it('records the backbone in every schema, and a fresh schema gets the same backbone', async () => {
    for (const service of SERVICES) {
      const recorded = await onTarget<{ version: string }>(
        `SELECT version FROM "${service}".backbone_migrations ORDER BY 1`,
      );
      expect(recorded.map((row) => row.version)).toEqual(backboneVersions().map((v) => v.version));
    }
    await expect(withClient(target, (client) => applyBackbone(client, 'mission'))).resolves.toEqual(
      [],
    );
    await expect(
      withClient(target, (client) => applyBackbone(client, 'bb_fresh')),
    ).resolves.toEqual(['0001_backbone']);
    try {
      expect(await backboneShape('bb_fresh')).toEqual(await backboneShape('mission'));
      // Append-only, like the migrated log.
      await onTarget(
        `INSERT INTO bb_fresh.events (stream_id, version, type, payload, metadata, event_id, hash)
         VALUES ('s-1', 1, 'T', '\\x00', '{}', gen_random_uuid(), '\\x00')`,
      );
      await expect(onTarget('DELETE FROM bb_fresh.events')).rejects.toThrow(/append-only/);
    } finally {
      await onTarget('DROP SCHEMA bb_fresh CASCADE');
    }
  });

  it('refuses an applied backbone version whose SQL changed, and drift shows a missing one', async () => {
    await onTarget(`UPDATE identity.backbone_migrations SET checksum = 'edited'`);
    await expect(withClient(target, (client) => applyBackbone(client, 'identity'))).rejects.toThrow(
      /0001_backbone was applied to schema "identity" with other SQL/,
    );
    await onTarget(`DELETE FROM identity.backbone_migrations`);
    await expect(checkSchemaDrift('identity', databaseUrl)).resolves.toEqual({
      service: 'identity',
      inSync: false,
      diff: '-- backbone: not applied to schema "identity": 0001_backbone (npm run db:migrate)',
    });
    await migrateDatabase(databaseUrl, { services: ['identity'] });
    await expect(checkSchemaDrift('identity', databaseUrl)).resolves.toMatchObject({
      inSync: true,
    });
  });
});

describe('migration adapter', () => {
  beforeAll(async () => {
    await onServer(`CREATE DATABASE "${database}_adapter"`);
  });
  afterAll(async () => {
    await onServer(`DROP DATABASE IF EXISTS "${database}_adapter" WITH (FORCE)`);
  });
  const adapterUrl = () => databaseUrl.replace(`/${database}`, `/${database}_adapter`);

  it('reads "char" and name catalog columns, which stock adapter-pg cannot', async () => {
    const query = sql(`SELECT c.relname, c.relkind FROM pg_class c WHERE c.relname = 'pg_class'`);
    const fixed = await createMigrationAdapter(adapterUrl(), 'identity').connect();
    try {
      const result = await fixed.queryRaw(query);
      expect(result.rows).toEqual([['pg_class', 'r']]);
    } finally {
      await fixed.dispose();
    }
    const stock = await new PrismaPg({ connectionString: adapterUrl() }).connect();
    try {
      await expect(stock.queryRaw(query)).rejects.toThrow();
    } finally {
      await stock.dispose();
    }
  });

  it('works in the service schema (search_path) and runs scripts whole, semicolons in bodies included', async () => {
    const adapter = await createMigrationAdapter(adapterUrl(), 'agent').connect();
    try {
      await adapter.executeScript(`
        CREATE SCHEMA IF NOT EXISTS agent;
        CREATE TABLE probe (id int);
        CREATE FUNCTION probe_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'append-only; no %', TG_OP; END; $$;
      `);
      const located = await adapter.queryRaw(
        sql(`SELECT table_schema::text FROM information_schema.tables WHERE table_name = 'probe'`),
      );
      expect(located.rows).toEqual([['agent']]);
    } finally {
      await adapter.dispose();
    }
  });

  it('creates a shadow database from discrete fields and drops it after closing its pool', async () => {
    // A ?options / connection string must not redirect the shadow database.
    const factory = createMigrationAdapter(`${adapterUrl()}?application_name=mc-test`, 'mission');
    const shadow = await factory.connectToShadowDb();
    const name = await shadow.queryRaw(
      sql("SELECT current_database()::text, current_setting('search_path')"),
    );
    const [[shadowName, searchPath]] = name.rows as [[string, string]];
    expect(shadowName).toMatch(/^prisma_migrate_shadow_db_/);
    expect(searchPath).toBe('mission');
    await shadow.dispose();
    const left = await withClient(withDatabase(base, 'postgres'), (client) =>
      client.query('SELECT 1 FROM pg_database WHERE datname = $1', [shadowName]),
    );
    expect(left.rowCount).toBe(0);
  });

  it('gives the runtime client the service schema too', async () => {
    const adapter = await createPrismaAdapter({
      databaseUrl: adapterUrl(),
      schema: 'analytics',
      poolSize: 1,
    }).connect();
    try {
      const result = await adapter.queryRaw(sql(`SELECT current_setting('search_path')`));
      expect(result.rows).toEqual([['analytics']]);
      expect(adapter.getConnectionInfo().schemaName).toBe('analytics');
    } finally {
      await adapter.dispose();
    }
  });

  it('runs prisma migrate diff through a shadow database and leaves none behind', async () => {
    const run = await runPrisma(
      'integration',
      [
        'migrate',
        'diff',
        '--from-migrations',
        'prisma/migrations',
        '--to-schema-datamodel',
        'prisma/schema.prisma',
        '--exit-code',
      ],
      adapterUrl(),
    );
    expect(run.code).toBe(0);
    const shadows = await withClient(withDatabase(base, 'postgres'), (client) =>
      client.query(
        `SELECT datname FROM pg_database WHERE datname LIKE 'prisma_migrate_shadow_db_%'`,
      ),
    );
    expect(shadows.rows).toEqual([]);
  });
});
