import { randomUUID } from 'node:crypto';
import { checkSchemaDrift } from '@mission-control/database';
import { DATABASE_SCHEMA, PrismaService } from '../src/database/prisma.service';

const service = 'integration';

describe(`${service} database (Postgres schema "${service}")`, () => {
  let prisma: PrismaService;
  const databaseUrl = () => {
    const url = process.env.DATABASE_URL;
    if (!url) {
      throw new Error(
        'DATABASE_URL is not set: run through the integration jest config (global setup migrates a test database)',
      );
    }
    return url;
  };

  beforeAll(async () => {
    prisma = new PrismaService({ databaseUrl: databaseUrl(), poolSize: 2 });
    await prisma.onModuleInit();
  });
  afterAll(() => prisma.onModuleDestroy());

  const event = (streamId: string, version: number) => ({
    streamId,
    version,
    type: `${service}.v1.Smoke`,
    payload: Uint8Array.from([8, 1, 18, 2, 104, 105]),
    metadata: { ce_id: randomUUID(), ce_source: `/${service}`, ce_type: `${service}.v1.Smoke` },
  });

  it('appends an event and reads it back, in its own schema only', async () => {
    const streamId = `smoke-${randomUUID()}`;
    const written = await prisma.event.create({ data: event(streamId, 1) });
    const read = await prisma.event.findUniqueOrThrow({
      where: { streamId_version: { streamId, version: 1 } },
    });

    expect(DATABASE_SCHEMA).toBe(service);
    expect(typeof read.position).toBe('bigint');
    expect(read).toEqual(written);
    expect(Buffer.from(read.payload)).toEqual(Buffer.from([8, 1, 18, 2, 104, 105]));
    expect(read.metadata).toMatchObject({ ce_source: `/${service}` });
    expect(Date.now() - read.recordedAt.getTime()).toBeLessThan(60_000);

    // Every schema that has an `events` table: only ours holds the row.
    const schemas = await prisma.$queryRawUnsafe<{ schema: string }[]>(
      `SELECT table_schema::text AS schema FROM information_schema.tables WHERE table_name = 'events'`,
    );
    const counts: Record<string, number> = {};
    for (const { schema } of schemas) {
      const [row] = await prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM "${schema}".events WHERE stream_id = $1`,
        streamId,
      );
      counts[schema] = row?.n ?? 0;
    }
    expect(counts).toMatchObject({ [service]: 1 });
    expect(Object.entries(counts).filter(([schema, n]) => schema !== service && n > 0)).toEqual([]);
    expect(counts).not.toHaveProperty('public');
  });

  it('rejects a second event with the same (stream_id, version)', async () => {
    const streamId = `smoke-${randomUUID()}`;
    await prisma.event.create({ data: event(streamId, 1) });
    await expect(prisma.event.create({ data: event(streamId, 1) })).rejects.toMatchObject({
      code: 'P2002',
    });
    await expect(prisma.event.create({ data: event(streamId, 2) })).resolves.toMatchObject({
      version: 2,
    });
    expect(await prisma.event.count({ where: { streamId } })).toBe(2);
  });

  it('matches prisma/schema.prisma after migrating (no drift)', async () => {
    await expect(checkSchemaDrift(service, databaseUrl())).resolves.toEqual({
      service,
      inSync: true,
      diff: '',
    });
  });
});
