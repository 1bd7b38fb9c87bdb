import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  DeliveredRecord,
  EventTransport,
  SubscribeOptions,
  Subscription,
  TransportRecord,
} from '@mission-control/eventing';

/**
 * The event transport, remembering which records the run being handled holds: the projections'
 * unit of work reads the state of all of them in one go instead of one stream at a time.
 */
export class RunRecordsTransport implements EventTransport {
  private readonly records = new AsyncLocalStorage<readonly DeliveredRecord[]>();

  constructor(private readonly inner: EventTransport) {}

  /** The records of the run in hand; none outside one. */
  current(): readonly DeliveredRecord[] {
    return this.records.getStore() ?? [];
  }

  publish(records: readonly TransportRecord[]): Promise<void> {
    return this.inner.publish(records);
  }

  subscribe(options: SubscribeOptions): Promise<Subscription> {
    return this.inner.subscribe({
      ...options,
      onRecords: (records) => this.records.run(records, () => options.onRecords(records)),
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
