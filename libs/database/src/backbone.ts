import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { assertSchemaName, quoteIdent } from './connection';
import { serviceDir, workspaceRoot, type ServiceName } from './prisma-cli';

/**
 * The event backbone (events, relay_checkpoints, inbox and the log's triggers) is owned by
 * libs/eventing, once: versioned, idempotent SQL in libs/eventing/backbone, applied into every
 * service schema by `applyBackbone`, and the Prisma models of those tables generated into each
 * schema.prisma from libs/eventing/backbone/backbone.prisma. Found from the workspace root like
 * the services' migrations are: libs/eventing itself depends on nothing here.
 */
export const backboneDir = () => path.join(workspaceRoot(), 'libs', 'eventing', 'backbone');

export type BackboneVersion = { version: string; sql: string; checksum: string };

/** The backbone's SQL versions (`NNNN_name.sql`), in the order they apply. */
export function backboneVersions(): BackboneVersion[] {
  const dir = backboneDir();
  return readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(path.join(dir, file), 'utf8');
      return {
        version: file.slice(0, -'.sql'.length),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

/** One connection (pg.Client, a pool's client) or a pool, from which one is borrowed. */
export type BackboneTarget = pg.ClientBase | pg.Pool;

/**
 * Applies the backbone versions `schema` has not recorded yet, each with its record in
 * `<schema>.backbone_migrations`, in one transaction under a per-schema advisory lock (so
 * concurrent starts apply a version once). Resolves the versions it applied. An applied version
 * whose SQL has since changed is refused: like a migration, a version is never edited.
 */
export async function applyBackbone(target: BackboneTarget, schema: string): Promise<string[]> {
  if (target instanceof pg.Pool) {
    const client = await target.connect();
    try {
      return await applyBackbone(client, schema);
    } finally {
      client.release();
    }
  }
  const quoted = quoteIdent(assertSchemaName(schema));
  const versions = backboneVersions();
  await target.query('BEGIN');
  try {
    await target.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`backbone:${schema}`]);
    await target.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    // The versions run unqualified, like the services' Prisma migrations.
    await target.query(`SET LOCAL search_path TO ${quoted}`);
    await target.query(`CREATE TABLE IF NOT EXISTS "backbone_migrations" (
        "version" TEXT NOT NULL PRIMARY KEY,
        "checksum" TEXT NOT NULL,
        "applied_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP
      )`);
    const { rows } = await target.query<{ version: string; checksum: string }>(
      `SELECT version, checksum FROM "backbone_migrations"`,
    );
    const recorded = new Map(rows.map((row) => [row.version, row.checksum]));
    const applied: string[] = [];
    for (const { version, sql, checksum } of versions) {
      const known = recorded.get(version);
      if (known === checksum) {
        continue;
      }
      if (known !== undefined) {
        throw new Error(
          `backbone version ${version} was applied to schema "${schema}" with other SQL: add a new version instead of editing an applied one`,
        );
      }
      await target.query(sql); // simple protocol: the whole file, function bodies included
      await target.query(`INSERT INTO "backbone_migrations" (version, checksum) VALUES ($1, $2)`, [
        version,
        checksum,
      ]);
      applied.push(version);
    }
    await target.query('COMMIT');
    return applied;
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** What `schema` lacks of the current backbone: versions not applied, or applied with other SQL. */
export async function missingBackbone(target: pg.ClientBase, schema: string): Promise<string[]> {
  const quoted = quoteIdent(assertSchemaName(schema));
  const recorded = await target
    .query<{
      version: string;
      checksum: string;
    }>(`SELECT version, checksum FROM ${quoted}."backbone_migrations"`)
    .then(
      ({ rows }) => new Map(rows.map((row) => [row.version, row.checksum])),
      () => new Map<string, string>(), // no table yet (42P01): nothing applied
    );
  return backboneVersions()
    .filter(({ version, checksum }) => recorded.get(version) !== checksum)
    .map(({ version }) => version);
}

export const BACKBONE_BEGIN =
  '// ---- BEGIN event backbone: generated from libs/eventing/backbone/backbone.prisma by `npm run backbone:sync`; do not edit ----';
export const BACKBONE_END = '// ---- END event backbone ----';

/** The backbone's Prisma models for one schema, between their markers. */
export function backboneModels(schema: string): string {
  const template = readFileSync(path.join(backboneDir(), 'backbone.prisma'), 'utf8');
  const models = template.replaceAll('{{schema}}', assertSchemaName(schema)).trimEnd();
  return `${BACKBONE_BEGIN}\n${models}\n${BACKBONE_END}`;
}

const schemaFile = (service: ServiceName) =>
  path.join(serviceDir(service), 'prisma', 'schema.prisma');

function backboneRegion(text: string, file: string): { start: number; end: number } {
  const start = text.indexOf(BACKBONE_BEGIN);
  const endMarker = text.indexOf(BACKBONE_END);
  if (start < 0 || endMarker < start) {
    throw new Error(`${file} has no event backbone region (${BACKBONE_BEGIN} … ${BACKBONE_END})`);
  }
  return { start, end: endMarker + BACKBONE_END.length };
}

/** Whether the service's schema.prisma holds the backbone models libs/eventing generates now. */
export function backboneModelsCurrent(service: ServiceName): boolean {
  const file = schemaFile(service);
  const text = readFileSync(file, 'utf8');
  const { start, end } = backboneRegion(text, file);
  return text.slice(start, end) === backboneModels(service);
}

/** Rewrites the backbone region of the service's schema.prisma. Resolves whether it changed. */
export function syncBackboneModels(service: ServiceName): boolean {
  const file = schemaFile(service);
  const text = readFileSync(file, 'utf8');
  const { start, end } = backboneRegion(text, file);
  const next = text.slice(0, start) + backboneModels(service) + text.slice(end);
  if (next === text) {
    return false;
  }
  writeFileSync(file, next);
  return true;
}
