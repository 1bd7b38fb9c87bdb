import { MessageChannel } from 'node:worker_threads';
import { until } from '@mission-control/testing';
import { InProcessTransport } from './in-process-transport';
import { forwardToPort, publishFromPort } from './thread-bridge';
import type { DeliveredRecord, TransportRecord } from './transport';

const record = (topic: string, n: number): TransportRecord => ({
  topic,
  key: `stream-${n % 3}`,
  value: Buffer.from(JSON.stringify({ n })),
  headers: { ce_type: 'mission.v1.MissionCreated', ce_id: `event-${n}` },
});

describe('the bus bridge between threads', () => {
  it('hands the other bus every record of the forwarded topics, in order and intact, and no others', async () => {
    const services = new InProcessTransport();
    const front = new InProcessTransport();
    const { port1, port2 } = new MessageChannel();
    // Published before the bridge starts: still forwarded (the front bus starts with the process).
    await services.publish([record('mission.events', 1), record('other.events', 2)]);
    const forwarding = await forwardToPort(services, ['mission.events', 'agent.events'], port1);
    const stopReceiving = publishFromPort(port2, front);
    const seen: DeliveredRecord[] = [];
    const reader = await front.subscribe({
      groupId: 'live',
      topics: ['mission.events', 'agent.events', 'other.events'],
      fromBeginning: true,
      onRecords: (run) => {
        seen.push(...run);
        return Promise.resolve();
      },
    });

    for (let n = 3; n <= 40; n++) {
      await services.publish([record(n % 2 ? 'mission.events' : 'agent.events', n)]);
    }

    await until(() => seen.length === 39);
    const missions = seen.filter((entry) => entry.topic === 'mission.events');
    expect(missions.map((entry) => JSON.parse(entry.value.toString()) as { n: number })).toEqual(
      [1, ...Array.from({ length: 19 }, (_, i) => 3 + 2 * i)].map((n) => ({ n })),
    );
    expect(seen.some((entry) => entry.topic === 'other.events')).toBe(false);
    const last = seen.find((entry) => entry.headers.ce_id === 'event-40')!;
    expect(Buffer.isBuffer(last.value)).toBe(true);
    expect(last).toMatchObject({ topic: 'agent.events', key: 'stream-1' });
    expect(last.headers).toEqual(record('agent.events', 40).headers);

    await reader.stop();
    await forwarding.stop();
    stopReceiving();
    port1.close();
  });
});
