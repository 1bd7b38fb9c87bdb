import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { backboneModelsCurrent, missingBackbone } from './backbone';
import { parseDatabaseUrl, withClient } from './connection';
import { assertService, PrismaCommandError, runPrisma } from './prisma-cli';

export type DriftReport = {
  service: string;
  /** True when every migration is applied and the live schema equals `schema.prisma`. */
  inSync: boolean;
  /** SQL that would turn the live database into what `schema.prisma` describes (empty when in sync). */
  diff: string;
};

/**
 * Proves a migrated database matches a service's `schema.prisma`:
 * 1. `prisma migrate status`: every migration in `prisma/migrations` is applied, none failed;
 * 2. `prisma db pull --print`: introspects the live schema of the service through the migration
 *    adapter (the JS engine refuses `migrate diff --from-url/--from-schema-datasource`);
 * 3. `prisma migrate diff --from-schema-datamodel <introspected> --to-schema-datamodel
 *    prisma/schema.prisma --exit-code`: exit 0 = same database schema, 2 = drift;
 * 4. the event backbone is current: every libs/eventing/backbone version is recorded as applied in
 *    the schema, and schema.prisma holds the backbone models libs/eventing generates now.
 */
export async function checkSchemaDrift(service: string, databaseUrl: string): Promise<DriftReport> {
  const name = assertService(service);
  const [status, pulled, missing] = await Promise.all([
    runPrisma(name, ['migrate', 'status'], databaseUrl),
    runPrisma(name, ['db', 'pull', '--print'], databaseUrl),
    withClient(parseDatabaseUrl(databaseUrl), (client) => missingBackbone(client, name)),
  ]);
  if (!backboneModelsCurrent(name)) {
    return {
      service,
      inSync: false,
      diff: '-- backbone: the models in prisma/schema.prisma are not the ones libs/eventing/backbone generates (npm run backbone:sync)',
    };
  }
  if (missing.length > 0) {
    return {
      service,
      inSync: false,
      diff: `-- backbone: not applied to schema "${name}": ${missing.join(', ')} (npm run db:migrate)`,
    };
  }
  if (status.code !== 0) {
    return {
      service,
      inSync: false,
      diff: `-- migrate status:\n${(status.stdout + status.stderr).trim()}`,
    };
  }
  if (pulled.code !== 0) {
    throw new PrismaCommandError(service, 'db pull --print', pulled);
  }
  const dir = await mkdtemp(path.join(tmpdir(), `mc-drift-${service}-`));
  try {
    const live = path.join(dir, 'live.prisma');
    await writeFile(live, introspectedSchema(pulled.stdout));
    const diff = await runPrisma(
      name,
      [
        'migrate',
        'diff',
        '--from-schema-datamodel',
        live,
        '--to-schema-datamodel',
        'prisma/schema.prisma',
        '--script',
        '--exit-code',
      ],
      databaseUrl,
    );
    if (diff.code === 0) {
      return { service, inSync: true, diff: '' };
    }
    if (diff.code === 2) {
      return {
        service,
        inSync: false,
        diff: diff.stdout.replace(/^Loaded Prisma config.*\n/m, '').trim(),
      };
    }
    throw new PrismaCommandError(service, 'migrate diff', diff);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * `db pull --print` also prints notices on stdout; the schema starts at its first block. The
 * backbone's own history table is not a Prisma model (applyBackbone keeps it), so it is left out.
 */
function introspectedSchema(stdout: string): string {
  const start = stdout.search(/^(generator|datasource|model|enum|view|type)\s/m);
  if (start < 0) {
    throw new Error(`prisma db pull --print returned no schema:\n${stdout}`);
  }
  return stdout.slice(start).replace(/^model backbone_migrations \{[\s\S]*?^\}\n?/m, '');
}
