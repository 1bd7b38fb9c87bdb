import { v7 as uuidv7 } from 'uuid';

export type ActorKind = 'user' | 'agent' | 'system';

export const ACTOR_KINDS: readonly ActorKind[] = ['user', 'agent', 'system'];

/** Who caused an event: a person, an agent, or the system itself (a timer, a relay, a workflow). */
export type Actor = { kind: ActorKind; id: string };

export const CLOUDEVENTS_SPEC_VERSION = '1.0';
export const PROTOBUF_CONTENT_TYPE = 'application/protobuf';

/**
 * What travels with every domain event: the CloudEvents 1.0 context attributes plus this system's
 * extensions. It is plain JSON (strings and numbers) so the event store can keep it as is beside the
 * payload, and it maps one to one onto Kafka record headers (see kafka-headers.ts).
 */
export type EventEnvelope = {
  /** CloudEvents `id`: a uuidv7, so ids sort by creation time. Consumers deduplicate on it. */
  id: string;
  /**
   * CloudEvents `type`: the protobuf full name of the payload message, e.g.
   * `mission.v1.MissionCreated`. One name then says what happened, which schema version the
   * payload has (the package's `v1`), and which descriptor decodes it, so there is no separate
   * `dataschema` or schema-version attribute that could disagree with it.
   */
  type: string;
  /** CloudEvents `source`: the producing service, from {@link eventSource}. */
  source: string;
  /** CloudEvents `subject`: the id of the stream (aggregate) the event belongs to; the Kafka key. */
  subject: string;
  /** CloudEvents `time`: when it happened, RFC 3339 in UTC (`Date.prototype.toISOString`). */
  time: string;
  specversion: typeof CLOUDEVENTS_SPEC_VERSION;
  /** The payload is the binary protobuf encoding of the `type` message. */
  datacontenttype: typeof PROTOBUF_CONTENT_TYPE;
  /** The tenant. Every event belongs to exactly one workspace. */
  workspaceId: string;
  actor: Actor;
  /** The request or workflow this event is part of; shared by everything it caused. */
  correlationId: string;
  /** The command or event that directly caused this one; null when nothing did. */
  causationId: string | null;
  /** The event's 1-based position in its stream (`subject`). */
  streamVersion: number;
};

/** What a producer supplies; {@link createEnvelope} fills in the rest. */
export type EnvelopeInit = Omit<
  EventEnvelope,
  'id' | 'time' | 'specversion' | 'datacontenttype'
> & {
  id?: string;
  time?: Date | string;
};

/** A new uuidv7: 48 bits of Unix milliseconds first, so later ids sort after earlier ones. */
export function newEventId(): string {
  return uuidv7();
}

/** The CloudEvents `source` of a service, e.g. `//mission-control/mission`. */
export function eventSource(service: string): string {
  return `//mission-control/${service}`;
}

export function createEnvelope(init: EnvelopeInit): EventEnvelope {
  const time = init.time ?? new Date();
  return {
    ...init,
    id: init.id ?? newEventId(),
    time: typeof time === 'string' ? time : time.toISOString(),
    specversion: CLOUDEVENTS_SPEC_VERSION,
    datacontenttype: PROTOBUF_CONTENT_TYPE,
  };
}

/** An event as stored or received: its envelope and its still-encoded payload. */
export type RawEvent = { envelope: EventEnvelope; payload: Uint8Array };
