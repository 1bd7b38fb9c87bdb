import { until } from '@mission-control/testing';
import { InProcessTransport } from './in-process-transport';
import type { DeliveredRecord, TransportRecord } from './transport';

const TOPIC = 'trim-spec.events.v1';
const records = (from: number, count: number): TransportRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    topic: TOPIC,
    key: `k${from + i}`,
    value: Buffer.from(String(from + i)),
    headers: {},
  }));

function consumer(bus: InProcessTransport, groupId: string, fromBeginning = true) {
  const seen: DeliveredRecord[] = [];
  let paused = false;
  const subscription = bus.subscribe({
    groupId,
    topics: [TOPIC],
    fromBeginning,
    maxBatch: 50,
    onRecords: (run) => {
      if (paused) {
        return Promise.reject(new Error('paused'));
      }
      seen.push(...run);
      return Promise.resolve();
    },
  });
  return {
    seen,
    pause: () => (paused = true),
    resume: () => (paused = false),
    stop: async () => (await subscription).stop(),
  };
}

describe('InProcessTransport retention', () => {
  it('drops what every running group has read once it is old enough, keeping offsets', async () => {
    const bus = new InProcessTransport({ retentionMs: 0 });
    const reader = consumer(bus, 'reader');
    await bus.publish(records(0, 600));
    await until(() => reader.seen.length === 600);

    expect(bus.records(TOPIC).length).toBeLessThan(600);
    await bus.publish(records(600, 1));
    await until(() => reader.seen.length === 601);
    // Offsets go on from where they were, whatever was dropped.
    expect(reader.seen.map((record) => Number(record.offset))).toEqual(
      Array.from({ length: 601 }, (_, i) => i),
    );
    expect(bus.endOffset(TOPIC)).toBe(601);
    await reader.stop();
  });

  it('keeps every record a running group has not read yet: a slow consumer loses nothing', async () => {
    const bus = new InProcessTransport({ retentionMs: 0 });
    const fast = consumer(bus, 'fast');
    const slow = consumer(bus, 'slow');
    slow.pause();
    await bus.publish(records(0, 1_000));
    await until(() => fast.seen.length === 1_000);
    expect(bus.records(TOPIC)).toHaveLength(1_000);

    slow.resume();
    await until(() => slow.seen.length === 1_000);
    expect(slow.seen.map((record) => record.key)).toEqual(records(0, 1_000).map((r) => r.key));
    await fast.stop();
    await slow.stop();
  });

  it('keeps records younger than the retention for groups and replays that come later', async () => {
    const bus = new InProcessTransport({ retentionMs: 60_000 });
    const first = consumer(bus, 'first');
    const before = Date.now();
    await bus.publish(records(0, 600));
    await until(() => first.seen.length === 600);
    expect(bus.records(TOPIC)).toHaveLength(600);
    expect(bus.offsetAt(TOPIC, before)).toBe(0);

    const late = consumer(bus, 'late');
    await until(() => late.seen.length === 600);
    await first.stop();
    await late.stop();
  });

  it('starts a group that comes after a trim at the oldest record kept', async () => {
    const bus = new InProcessTransport({ retentionMs: 0 });
    const reader = consumer(bus, 'reader');
    await bus.publish(records(0, 600));
    await until(() => reader.seen.length === 600);
    expect(bus.records(TOPIC)).toHaveLength(0);
    expect(bus.offsetAt(TOPIC, 0)).toBe(600);

    const late = consumer(bus, 'late');
    await bus.publish(records(600, 10));
    await until(() => late.seen.length === 10 && reader.seen.length === 610);
    expect(late.seen.map((record) => record.offset)).toEqual(
      Array.from({ length: 10 }, (_, i) => String(600 + i)),
    );
    await reader.stop();
    await late.stop();
  });
});

describe('InProcessTransport settlement', () => {
  const settledNow = async (bus: InProcessTransport) => {
    let settled = false;
    void bus.settled().then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    return settled;
  };

  it('settles what is published once every group that read the topic has handled it, stopped groups too', async () => {
    const bus = new InProcessTransport();
    const running = consumer(bus, 'running');
    const stopping = consumer(bus, 'stopping');
    await bus.publish(records(0, 3));
    await until(() => running.seen.length === 3 && stopping.seen.length === 3);
    expect(await settledNow(bus)).toBe(true);

    running.pause();
    await bus.publish(records(3, 1));
    expect(await settledNow(bus)).toBe(false);
    running.resume();
    await until(() => running.seen.length === 4);
    expect(await settledNow(bus)).toBe(true);

    // A group that stopped before handling a record leaves it unsettled: the next run republishes it.
    await stopping.stop();
    await bus.publish(records(4, 1));
    await until(() => running.seen.length === 5);
    expect(await settledNow(bus)).toBe(false);
  });

  it('settles nothing while held, since the groups that will read it are still starting', async () => {
    const bus = new InProcessTransport();
    const release = bus.holdSettlement();
    await bus.publish(records(0, 2));
    const pending = bus.settled();
    const late = consumer(bus, 'late');
    await until(() => late.seen.length === 2);
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);

    release();
    await expect(pending).resolves.toBeUndefined();
  });
});
