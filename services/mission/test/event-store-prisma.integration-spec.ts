import { randomUUID } from 'node:crypto';
import { AppError } from '@mission-control/errors';
import { EventStore, prismaQueryable, prismaUnitOfWork } from '@mission-control/eventing';
import { PrismaService } from '../src/database/prisma.service';
import { AggregateRunner } from '../src/eventing/mission-event-store';
import { createMission } from '../src/missions/mission.commands';
import { missionDecider, missionStreamId } from '../src/missions/mission.decider';

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

  it('starts a new stream without reading it, and refuses to start one that exists', async () => {
    const runner = new AggregateRunner({
      store,
      transaction: (work) => prisma.$transaction(work),
      queryable: prismaQueryable,
      attempts: 1,
    });
    const missionId = randomUUID();
    const command = createMission({
      workspaceId: randomUUID(),
      actor: { kind: 'user', id: randomUUID() },
      data: { missionId, title: 'Started', placement: { after: null, before: null } },
    });
    const first = await runner.transaction((tx) =>
      runner.start(tx, missionDecider, missionStreamId(missionId), command),
    );
    expect(first.stored.map((event) => [event.version, event.type])).toEqual([
      [1, 'mission.v1.MissionCreated'],
    ]);
    const again = await runner
      .transaction((tx) => runner.start(tx, missionDecider, missionStreamId(missionId), command))
      .catch((error: unknown) => error);
    expect(again).toBeInstanceOf(AppError);
    expect(again).toMatchObject({ code: 'CONFLICT' });
    const stream = await store.readStream(prismaQueryable(prisma), missionStreamId(missionId));
    expect(stream).toHaveLength(1);
  });
});
