import { randomUUID } from 'node:crypto';
import { checkSchemaDrift } from '@mission-control/database';

type EventRow = {
  position: bigint;
  version: number;
  payload: Uint8Array;
  metadata: unknown;
  recordedAt: Date;
};
type EventData = {
  eventId: string;
  streamId: string;
  version: number;
  type: string;
  payload: Uint8Array<ArrayBuffer>;
  metadata: Record<string, string | null | Record<string, string>>;
  hash: Uint8Array<ArrayBuffer>;
};

/** The slice of a service's generated Prisma client (through its PrismaService) the suite uses. */
export type ServicePrisma = {
  event: {
    create(args: { data: EventData }): PromiseLike<EventRow>;
    findUniqueOrThrow(args: {
      where: { streamId_version: { streamId: string; version: number } };
    }): PromiseLike<EventRow>;
    count(args: { where: { streamId: string } }): PromiseLike<number>;
  };
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  onModuleInit(): Promise<void>;
  onModuleDestroy(): Promise<void>;
};

/** The event log's hash chain (`chainHash` of libs/eventing, which depends on this library). */
export type ChainHash = (
  previous: Uint8Array,
  event: Pick<EventData, 'streamId' | 'version' | 'type' | 'payload'> & {
    id: string;
    metadata: SmokeMetadata;
  },
) => Uint8Array;

/** An event envelope's metadata, as the event store keeps it. */
type SmokeMetadata = {
  source: string;
  time: string;
  workspaceId: string;
  actor: { kind: 'system'; id: string };
  correlationId: string;
  causationId: null;
};

/**
 * What every service's database must prove against real Postgres: its Prisma client writes and
 * reads its own schema and no other, the event log's (stream_id, version) is unique, and the
 * migrated database matches its schema.prisma. The events it writes are properly chained, so the
 * service's own specs still find every chain of the shared test database intact.
 */
export function describeServiceSchema(
  service: string,
  connect: (databaseUrl: string) => ServicePrisma,
  chainHash: ChainHash,
): void {
  describe(`${service} database (Postgres schema "${service}")`, () => {
    let prisma: ServicePrisma;
    const databaseUrl = () => {
      const url = process.env.DATABASE_URL;
      if (!url) {
        throw new Error(
          'DATABASE_URL is not set: run through the integration jest config (its global setup migrates a test database)',
        );
      }
      return url;
    };

    beforeAll(async () => {
      prisma = connect(databaseUrl());
      await prisma.onModuleInit();
    });
    afterAll(() => prisma.onModuleDestroy());

    /** Each stream's last hash: the next event chains to it. */
    const heads = new Map<string, Uint8Array>();
    const event = (streamId: string, version: number): EventData => {
      const unhashed = {
        eventId: randomUUID(),
        streamId,
        version,
        type: `${service}.v1.Smoke`,
        payload: Uint8Array.from([8, 1, 18, 2, 104, 105]),
        // A whole envelope's worth, so a relay running on the same database publishes it like any other.
        metadata: {
          source: `//mission-control/${service}`,
          time: new Date().toISOString(),
          workspaceId: 'ws-smoke',
          actor: { kind: 'system', id: 'schema-suite' },
          correlationId: randomUUID(),
          causationId: null,
        } satisfies SmokeMetadata as SmokeMetadata,
      };
      const previous = version === 1 ? new Uint8Array(32) : heads.get(streamId)!;
      return {
        ...unhashed,
        hash: Uint8Array.from(chainHash(previous, { ...unhashed, id: unhashed.eventId })),
      };
    };
    const write = async (data: EventData): Promise<EventRow> => {
      const row = await prisma.event.create({ data });
      heads.set(data.streamId, data.hash);
      return row;
    };

    it('writes an event and reads it back, in its own schema only', async () => {
      const streamId = `smoke-${randomUUID()}`;
      const written = await write(event(streamId, 1));
      const read = await prisma.event.findUniqueOrThrow({
        where: { streamId_version: { streamId, version: 1 } },
      });

      expect(typeof read.position).toBe('bigint');
      expect(read).toEqual(written);
      expect(Buffer.from(read.payload)).toEqual(Buffer.from([8, 1, 18, 2, 104, 105]));
      expect(read.metadata).toMatchObject({ source: `//mission-control/${service}` });
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
      expect(Object.entries(counts).filter(([schema, n]) => schema !== service && n > 0)).toEqual(
        [],
      );
      expect(counts).not.toHaveProperty('public');
    });

    it('rejects a second event with the same (stream_id, version)', async () => {
      const streamId = `smoke-${randomUUID()}`;
      await write(event(streamId, 1));
      await expect(prisma.event.create({ data: event(streamId, 1) })).rejects.toMatchObject({
        code: 'P2002',
      });
      await expect(write(event(streamId, 2))).resolves.toMatchObject({ version: 2 });
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
}
