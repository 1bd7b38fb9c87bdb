import type { MessagePort } from 'node:worker_threads';
import type { EventTransport, Subscription, TransportRecord } from './transport';

/** How records cross a thread boundary: structured clone turns a Buffer into a Uint8Array. */
type CrossingRecord = Omit<TransportRecord, 'value'> & { value: Uint8Array };

/**
 * Sends every record of `topics` published on `bus` (a thread's in-process bus) through `port`,
 * in order, from the first one on. The other end hands them to `publishFromPort`.
 */
export function forwardToPort(
  bus: EventTransport,
  topics: readonly string[],
  port: MessagePort,
): Promise<Subscription> {
  return bus.subscribe({
    groupId: 'thread-bridge',
    topics: [...topics],
    fromBeginning: true,
    maxBatch: 1_000,
    onRecords: (records) => {
      const run: CrossingRecord[] = records.map(({ topic, key, value, headers }) => ({
        topic,
        key,
        value,
        headers,
      }));
      port.postMessage(run);
      return Promise.resolve();
    },
  });
}

/**
 * Publishes on `bus` (this thread's in-process bus) what another thread's `forwardToPort` sends
 * through `port`, in the order it was sent. Returns a function that stops listening.
 */
export function publishFromPort(port: MessagePort, bus: EventTransport): () => void {
  const onRun = (run: CrossingRecord[]) => {
    void bus.publish(
      run.map((record) => ({
        ...record,
        value: Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength),
      })),
    );
  };
  port.on('message', onRun);
  return () => port.off('message', onRun);
}
