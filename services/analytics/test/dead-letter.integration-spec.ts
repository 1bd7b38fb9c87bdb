import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { startServiceApp, memberPrincipal } from '@mission-control/testing';
import { Kafka, logLevel } from 'kafkajs';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import {
  analyticsTestConfig,
  eventually,
  EventPublisher,
  GatewayStandIn,
  settled,
  specStreams,
} from './analytics-test-kit';
import { SEARCH, type SearchView } from './analytics-queries';
import { WorkspaceWorld } from './analytics-world';

const streams = specStreams('poison');

describe('analytics projections with a poison event', () => {
  let app: INestApplication;
  let publisher: EventPublisher;
  let world: WorkspaceWorld;
  let poisonId = '';

  beforeAll(async () => {
    const config = analyticsTestConfig(streams, { NODE_ENV: 'production' });
    publisher = new EventPublisher(config.KAFKA_BROKERS);
    await publisher.ensureTopics([streams.agentTopic, streams.missionTopic]);
    world = new WorkspaceWorld(publisher, streams);
    // A comment on a mission whose creation never reached the topic: no retry can fix it.
    const orphan = randomUUID();
    const poison = await publisher.publish(streams.missionTopic, {
      streamId: `mission-${orphan}`,
      workspaceId: world.workspaceId,
      type: 'mission.v1.CommentAdded',
      time: new Date(),
      data: { missionId: orphan, commentId: randomUUID(), author: 'u', body: 'orphaned' },
    });
    poisonId = poison.headers.ce_id!;
    app = await startServiceApp(AppModule.forRoot(config));
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.close();
  });

  it('dead-letters it after bounded retries, with the error, and goes on with the rest', async () => {
    const prisma = app.get(PrismaService);
    await eventually(async () => {
      expect(
        await prisma.inboxEntry.findUnique({
          where: { consumer_eventId: { consumer: streams.consumerGroup, eventId: poisonId } },
        }),
      ).toMatchObject({ outcome: 'dead_lettered' });
    }, 30_000);

    const consumer = new Kafka({
      clientId: 'analytics-spec',
      brokers: analyticsTestConfig(streams).KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    }).consumer({ groupId: `${streams.consumerGroup}.dlq-reader` });
    await consumer.connect();
    await consumer.subscribe({ topics: [`${streams.consumerGroup}.dlq`], fromBeginning: true });
    const deadLetters: Record<string, string>[] = [];
    await consumer.run({
      eachMessage: ({ message }) => {
        deadLetters.push(
          Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([key, value]) => [key, String(value)]),
          ),
        );
        return Promise.resolve();
      },
    });
    try {
      await eventually(() => {
        expect(deadLetters).toEqual([
          expect.objectContaining({
            ce_id: poisonId,
            mc_dlq_error: expect.stringContaining('before its MissionCreated'),
          }),
        ]);
        return Promise.resolve();
      }, 30_000);
    } finally {
      await consumer.disconnect();
    }

    const missionId = await world.mission({ title: 'After the poison', at: new Date() });
    await settled(app);
    const { search } = await new GatewayStandIn(app).ok<SearchView>(
      SEARCH,
      { ws: world.workspaceId, query: 'poison' },
      memberPrincipal(world.workspaceId, 'viewer'),
    );
    expect(search.hits.map((hit) => hit.missionId)).toEqual([missionId]);
  });
});
