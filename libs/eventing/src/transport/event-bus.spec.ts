import { until } from '@mission-control/testing';
import { silentLogger } from '../logger';
import { createEventTransport, processEventBus } from './event-bus';
import { KafkaTransport } from './kafka-transport';
import type { DeliveredRecord } from './transport';

const options = { brokers: ['127.0.0.1:9092'], clientId: 'bus-spec', logger: silentLogger };
const record = (topic: string, key: string) => ({
  topic,
  key,
  value: Buffer.from(key),
  headers: {},
});

describe('createEventTransport', () => {
  it('gives Kafka a client of its own', () => {
    expect(createEventTransport({ ...options, bus: 'kafka' })).toBeInstanceOf(KafkaTransport);
  });

  it('lets a relay wait for settlement on the in-process bus only: Kafka keeps what it accepts', async () => {
    expect(createEventTransport({ ...options, bus: 'kafka' }).settled).toBeUndefined();
    const handle = createEventTransport({ ...options, bus: 'in-process' });
    await expect(handle.settled!()).resolves.toBeUndefined();
  });

  it('gives every user of the in-process bus the same bus, one per process', async () => {
    expect(processEventBus()).toBe(processEventBus());
    const first = createEventTransport({ ...options, bus: 'in-process' });
    const second = createEventTransport({ ...options, bus: 'in-process' });
    const seen: DeliveredRecord[] = [];
    await second.subscribe({
      groupId: 'bus-spec.second',
      topics: ['bus-spec.shared'],
      onRecords: (records) => {
        seen.push(...records);
        return Promise.resolve();
      },
    });
    await first.publish([record('bus-spec.shared', 'one')]);
    await until(() => seen.length === 1);
    expect(processEventBus().records('bus-spec.shared')).toHaveLength(1);

    // Closing one user stops its own subscriptions only; the bus goes on for the others.
    const firstSeen: DeliveredRecord[] = [];
    await first.subscribe({
      groupId: 'bus-spec.first',
      topics: ['bus-spec.shared'],
      fromBeginning: true,
      onRecords: (records) => {
        firstSeen.push(...records);
        return Promise.resolve();
      },
    });
    await until(() => firstSeen.length === 1);
    await first.close();
    await second.publish([record('bus-spec.shared', 'two')]);
    await until(() => seen.length === 2);
    expect(firstSeen.map((r) => r.key)).toEqual(['one']);
    await expect(
      first.subscribe({ groupId: 'x', topics: ['y'], onRecords: () => Promise.resolve() }),
    ).rejects.toThrow(/closed/);
    await second.close();
  });

  it('finds the first in-process offset published since a moment', async () => {
    const bus = processEventBus();
    const before = Date.now();
    await bus.publish([record('bus-spec.timed', 'a')]);
    expect(bus.offsetAt('bus-spec.timed', before)).toBe(0);
    expect(bus.offsetAt('bus-spec.timed', Date.now() + 1_000)).toBe(1);
  });
});
