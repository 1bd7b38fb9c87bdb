import { randomUUID } from 'node:crypto';
import { EventStore, prismaQueryable, prismaUnitOfWork } from '@mission-control/eventing';
import { PrismaService } from '../src/database/prisma.service';

// The event store inside a Prisma interactive transaction: how services append with projections.
describe('EventStore through the service Prisma client', () => {
  const prisma = new PrismaService({ databaseUrl: process.env.DATABASE_URL!, poolSize: 2 });
  const store = new EventStore({ schema: 'mission', source: '//mission-control/mission' });
  const context = { workspaceId: 'ws-1', actor: { kind: 'user' as const, id: 'u-1' } };
  beforeAll(() => prisma.onModuleInit());
  afterAll(() => prisma.onModuleDestroy());

  it('appends, reads back and verifies through a Prisma transaction', async () => {
    const stream = `mission-${randomUUID()}`;
    const appended = await prisma.$transaction((tx) =>
      store.append(
        prismaQueryable(tx),
        stream,
        0,
        [
          { type: 'mission.v1.MissionCreated', payload: Buffer.from([10, 3, 49, 50, 51]) },
          { type: 'mission.v1.MissionMoved', payload: Buffer.from([8, 2]) },
        ],
        context,
      ),
    );
    expect(appended.map((event) => event.version)).toEqual([1, 2]);

    const read = await store.readStream(prismaQueryable(prisma), stream);
    expect(read.map((event) => [event.type, [...event.payload]])).toEqual([
      ['mission.v1.MissionCreated', [10, 3, 49, 50, 51]],
      ['mission.v1.MissionMoved', [8, 2]],
    ]);
    expect(read.map((event) => event.hash.toString('hex'))).toEqual(
      appended.map((event) => event.hash.toString('hex')),
    );
    // Other suites write raw rows into this log (no valid chain): judge this stream only.
    const report = await store.verify(prismaQueryable(prisma));
    expect(report.problems.filter((problem) => problem.streamId === stream)).toEqual([]);
    expect(report.eventsChecked).toBeGreaterThanOrEqual(2);
  });

  it('rolls the events back with the rest of the transaction', async () => {
    const stream = `mission-${randomUUID()}`;
    await expect(
      prismaUnitOfWork(prisma).run(async (_tx, sql) => {
        await store.append(
          sql,
          stream,
          0,
          [{ type: 'mission.v1.MissionMoved', payload: Buffer.from([1]) }],
          context,
        );
        throw new Error('read model update failed');
      }),
    ).rejects.toThrow('read model update failed');
    expect(await store.readStream(prismaQueryable(prisma), stream)).toEqual([]);
  });

  it('turns a concurrent write into CONFLICT', async () => {
    const stream = `mission-${randomUUID()}`;
    const event = { type: 'mission.v1.MissionMoved', payload: Buffer.from([1]) };
    await store.append(prismaQueryable(prisma), stream, 0, [event], context);
    await expect(
      prisma.$transaction((tx) => store.append(prismaQueryable(tx), stream, 0, [event], context)),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
