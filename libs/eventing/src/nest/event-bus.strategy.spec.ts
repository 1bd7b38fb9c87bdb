import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { createEnvelope, encodeEvent, toKafkaRecord } from '@mission-control/proto';
import { until } from '@mission-control/testing';
import { silentLogger } from '../logger';
import type { Queryable } from '../sql/queryable';
import type { UnitOfWork } from '../sql/unit-of-work';
import { processEventBus } from '../transport/event-bus';
import type { DeliveredRecord } from '../transport/transport';
import { EventBusContext, EventBusStrategy, type EventOf } from './event-bus.strategy';
import { EventHandlers, startEventHandlers } from './start-event-handlers';

/** What a handler writes; it becomes visible only when its transaction commits. */
type MemoryTx = { writes: string[] };

/** A database in memory: an inbox and the handlers' writes, both committed or neither. */
function memoryDatabase() {
  const inbox = new Map<string, string>();
  const committed: string[] = [];
  const unitOfWork: UnitOfWork<MemoryTx> = {
    async run(work) {
      const claimed = new Map<string, string>();
      const tx: MemoryTx = { writes: [] };
      const sql: Queryable = {
        query: <Row>(_text: string, values: unknown[] = []) => {
          const [consumer, ids, outcome] = values as [string, string | string[], string?];
          const fresh = [ids].flat().filter((id) => {
            const key = `${consumer}/${id}`;
            if (inbox.has(key) || claimed.has(key)) {
              return false;
            }
            claimed.set(key, outcome ?? 'processed');
            return true;
          });
          return Promise.resolve({ rows: fresh.map((id) => ({ event_id: id })) as Row[] });
        },
      };
      const result = await work(tx, sql);
      claimed.forEach((value, key) => inbox.set(key, value));
      committed.push(...tx.writes);
      return result;
    },
  };
  return { inbox, committed, unitOfWork };
}

@EventHandlers()
class BoardHandlers {
  @EventPattern('mission.v1.MissionCreated')
  created(
    @Payload() event: EventOf<'mission.v1.MissionCreated'>,
    @Ctx() context: EventBusContext<MemoryTx>,
  ): Promise<void> {
    context.tx.writes.push(`created ${event.data.title} in ${context.envelope.workspaceId}`);
    return Promise.resolve();
  }

  @EventPattern('mission.v1.MissionMoved')
  moved(@Ctx() context: EventBusContext<MemoryTx>): void {
    context.tx.writes.push('half a move');
    throw new Error('the board refuses the move');
  }
}

describe('EventBusStrategy', () => {
  const topic = `strategy-spec-${Date.now()}.mission.events.v1`;
  const name = `spec.${topic}`;
  const database = memoryDatabase();
  const deadLetters: DeliveredRecord[] = [];
  let app: INestApplication;
  let version = 0;

  async function publish(record: Parameters<typeof toKafkaRecord>[0]): Promise<string> {
    const { key, value, headers } = toKafkaRecord(record);
    await processEventBus().publish([{ topic, key, value, headers }]);
    return record.envelope.id;
  }

  function event(type: string, payload: Uint8Array) {
    version += 1;
    return {
      envelope: createEnvelope({
        type,
        source: '//mission-control/spec',
        subject: 'mission-1',
        workspaceId: 'ws-spec',
        actor: { kind: 'user', id: 'user-1' },
        correlationId: 'corr-1',
        causationId: null,
        streamVersion: version,
      }),
      payload,
    };
  }

  beforeAll(async () => {
    await processEventBus().subscribe({
      groupId: `${name}.dlq-reader`,
      topics: [`${name}.dlq`],
      onRecords: (records) => {
        deadLetters.push(...records);
        return Promise.resolve();
      },
    });
    const moduleRef = await Test.createTestingModule({
      controllers: [BoardHandlers],
      providers: [
        {
          provide: EventBusStrategy,
          useFactory: () =>
            new EventBusStrategy<MemoryTx>({
              name,
              topics: [topic],
              bus: 'in-process',
              brokers: [],
              clientId: 'spec',
              schema: 'spec',
              unitOfWork: database.unitOfWork,
              logger: silentLogger,
              retry: { attempts: 3, initialDelayMs: 1, maxDelayMs: 1 },
            }),
        },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.init();
    await startEventHandlers(app);
  });

  afterAll(() => app.close());

  it('hands an event to the handler of its type, in the transaction that records it', async () => {
    const id = await publish(
      event(
        'mission.v1.MissionCreated',
        encodeEvent('mission.v1.MissionCreated', { title: 'Map the reef' }),
      ),
    );

    await until(() => database.inbox.has(`${name}/${id}`), 'the event in the inbox', 5_000);
    expect(database.committed).toContain('created Map the reef in ws-spec');
  });

  it('passes over an event type no handler names, with no transaction or inbox entry', async () => {
    const skipped = await publish(
      event(
        'mission.v1.MissionAssigned',
        encodeEvent('mission.v1.MissionAssigned', { missionId: 'mission-1' }),
      ),
    );
    const handled = await publish(
      event(
        'mission.v1.MissionCreated',
        encodeEvent('mission.v1.MissionCreated', { title: 'Sound the lagoon' }),
      ),
    );

    await until(() => database.inbox.has(`${name}/${handled}`), 'the next event handled', 5_000);
    expect(database.inbox.has(`${name}/${skipped}`)).toBe(false);
    expect(database.committed).toContain('created Sound the lagoon in ws-spec');
  });

  it('retries a failing handler, then dead-letters the event with the handler’s own error', async () => {
    const id = await publish(
      event(
        'mission.v1.MissionMoved',
        encodeEvent('mission.v1.MissionMoved', { missionId: 'mission-1' }),
      ),
    );

    await until(() => deadLetters.length === 1, 'the dead letter', 5_000);
    expect(deadLetters[0]!.headers).toMatchObject({
      ce_id: id,
      mc_dlq_error: 'the board refuses the move',
      mc_dlq_attempts: '3',
      mc_dlq_consumer: name,
    });
    expect(database.inbox.get(`${name}/${id}`)).toBe('dead_lettered');
    expect(database.committed).not.toContain('half a move');
  });

  it('keeps the order of a stream: events after a dead letter still apply', async () => {
    const id = await publish(
      event(
        'mission.v1.MissionCreated',
        encodeEvent('mission.v1.MissionCreated', { title: 'Chart the shoals' }),
      ),
    );

    await until(() => database.inbox.has(`${name}/${id}`), 'the event in the inbox', 5_000);
    expect(database.committed.at(-1)).toBe('created Chart the shoals in ws-spec');
  });
});
