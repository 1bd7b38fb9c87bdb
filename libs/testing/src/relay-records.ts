import { randomUUID } from 'node:crypto';
import {
  createEnvelope,
  encodeEvent,
  eventSource,
  toKafkaRecord,
  type DomainEventType,
  type EventInit,
  type KafkaRecord,
} from '@mission-control/proto';

/**
 * Records as a service's relay publishes them (CloudEvents headers, protobuf value, key = stream),
 * numbering each stream's versions: for specs that stand in for another service.
 */
export class RelayRecords {
  private readonly versions = new Map<string, number>();

  /** `service` names the source, e.g. `agent` for `//mission-control/agent`. */
  constructor(private readonly service: string) {}

  next<T extends DomainEventType>(event: {
    workspaceId: string;
    subject: string;
    type: T;
    data: EventInit<T>;
    /** When it happened, if not now: news that comes late. */
    time?: Date;
  }): KafkaRecord {
    const streamVersion = (this.versions.get(event.subject) ?? 0) + 1;
    this.versions.set(event.subject, streamVersion);
    return toKafkaRecord({
      envelope: createEnvelope({
        type: event.type,
        source: eventSource(this.service),
        subject: event.subject,
        workspaceId: event.workspaceId,
        actor: { kind: 'user', id: randomUUID() },
        correlationId: randomUUID(),
        causationId: null,
        streamVersion,
        time: event.time,
      }),
      payload: encodeEvent(event.type, event.data),
    });
  }

  /** Numbers the stream from 1 again, as a relay replaying its log from the start does. */
  rewind(subject: string): void {
    this.versions.delete(subject);
  }
}
