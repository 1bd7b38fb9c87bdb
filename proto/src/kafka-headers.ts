import { ContractError, ContractErrorCode } from './contract-error';
import {
  ACTOR_KINDS,
  CLOUDEVENTS_SPEC_VERSION,
  PROTOBUF_CONTENT_TYPE,
  type Actor,
  type ActorKind,
  type EventEnvelope,
  type RawEvent,
} from './envelope';

/**
 * Record header names: the CloudEvents Kafka protocol binding in binary mode. Context attributes
 * and extensions are `ce_<name>` headers with UTF-8 values, except `datacontenttype`, which the
 * binding maps to `content-type`. Extension names follow the CloudEvents naming rule (lower-case
 * letters and digits only), so CloudEvents tooling sees workspace, actor, correlation, causation
 * and stream version as attributes of the event rather than as foreign headers.
 */
export const KafkaHeader = {
  id: 'ce_id',
  type: 'ce_type',
  source: 'ce_source',
  specversion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  datacontenttype: 'content-type',
  workspaceId: 'ce_workspaceid',
  actor: 'ce_actor',
  correlationId: 'ce_correlationid',
  causationId: 'ce_causationid',
  streamVersion: 'ce_streamversion',
} as const;

/** A header value as Kafka clients hand it over (kafkajs `IHeaders`), without depending on one. */
export type KafkaHeaderValue = Uint8Array | string | (Uint8Array | string)[] | undefined;
export type KafkaHeaders = Readonly<Record<string, KafkaHeaderValue>>;

/** What a producer sends: key = stream id, so one stream's events stay in order on one partition. */
export type KafkaRecord = { key: string; value: Buffer; headers: Record<string, string> };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const POSITIVE_INTEGER = /^[1-9][0-9]*$/;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function toKafkaHeaders(envelope: EventEnvelope): Record<string, string> {
  const headers = encodeHeaders(envelope);
  // A producer must never publish what every consumer would reject: fail here, at the source.
  fromKafkaHeaders(headers);
  return headers;
}

/**
 * The headers of an envelope already checked with {@link assertValidEnvelope} when it was stored:
 * the relay republishes stored events and skips checking each one again.
 */
export function toTrustedKafkaHeaders(envelope: EventEnvelope): Record<string, string> {
  return encodeHeaders(envelope);
}

/** Throws a {@link ContractError} when consumers would reject this envelope on the wire. */
export function assertValidEnvelope(envelope: EventEnvelope): void {
  fromKafkaHeaders(encodeHeaders(envelope));
}

function encodeHeaders(envelope: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [KafkaHeader.id]: envelope.id,
    [KafkaHeader.type]: envelope.type,
    [KafkaHeader.source]: envelope.source,
    [KafkaHeader.specversion]: envelope.specversion,
    [KafkaHeader.time]: envelope.time,
    [KafkaHeader.subject]: envelope.subject,
    [KafkaHeader.datacontenttype]: envelope.datacontenttype,
    [KafkaHeader.workspaceId]: envelope.workspaceId,
    [KafkaHeader.actor]: `${envelope.actor.kind}:${envelope.actor.id}`,
    [KafkaHeader.correlationId]: envelope.correlationId,
    [KafkaHeader.streamVersion]: String(envelope.streamVersion),
  };
  if (envelope.causationId !== null) {
    headers[KafkaHeader.causationId] = envelope.causationId;
  }
  return headers;
}

/**
 * The envelope carried by a record's headers. Throws a {@link ContractError} naming every missing
 * or invalid header (MISSING_HEADER when any is missing, INVALID_HEADER otherwise).
 */
export function fromKafkaHeaders(headers: KafkaHeaders): EventEnvelope {
  const problems: { header: string; problem: string; missing: boolean }[] = [];

  const read = (header: string, required: boolean): string | undefined => {
    const raw = headers[header];
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((value) =>
      typeof value === 'string' ? value : decodeUtf8(value),
    );
    if (values.includes(undefined)) {
      problems.push({ header, problem: 'is not valid UTF-8', missing: false });
      return undefined;
    }
    const distinct = [...new Set(values)];
    if (distinct.length > 1) {
      problems.push({ header, problem: `has ${distinct.length} different values`, missing: false });
      return undefined;
    }
    const value = distinct[0];
    if (value === undefined || value === '') {
      if (required) {
        problems.push({ header, problem: 'is missing', missing: true });
      }
      return undefined;
    }
    return value;
  };

  const check = <T>(
    header: string,
    parse: (value: string) => T | undefined,
    expected: string,
    required = true,
  ): T | undefined => {
    const value = read(header, required);
    if (value === undefined) {
      return undefined;
    }
    const parsed = parse(value);
    if (parsed === undefined) {
      problems.push({
        header,
        problem: `must be ${expected}, got ${quote(value)}`,
        missing: false,
      });
    }
    return parsed;
  };

  const text = (value: string) => value;
  const envelope = {
    id: check(KafkaHeader.id, (v) => (UUID.test(v) ? v.toLowerCase() : undefined), 'a UUID'),
    type: check(KafkaHeader.type, text, 'a type'),
    source: check(KafkaHeader.source, text, 'a source'),
    specversion: check(
      KafkaHeader.specversion,
      (v) => (v === CLOUDEVENTS_SPEC_VERSION ? CLOUDEVENTS_SPEC_VERSION : undefined),
      `"${CLOUDEVENTS_SPEC_VERSION}"`,
    ),
    time: check(
      KafkaHeader.time,
      (v) => (RFC3339.test(v) && !Number.isNaN(Date.parse(v)) ? v : undefined),
      'an RFC 3339 timestamp',
    ),
    subject: check(KafkaHeader.subject, text, 'a stream id'),
    datacontenttype: check(
      KafkaHeader.datacontenttype,
      (v) => (v === PROTOBUF_CONTENT_TYPE ? PROTOBUF_CONTENT_TYPE : undefined),
      `"${PROTOBUF_CONTENT_TYPE}"`,
    ),
    workspaceId: check(KafkaHeader.workspaceId, text, 'a workspace id'),
    actor: check(KafkaHeader.actor, parseActor, `"<${ACTOR_KINDS.join('|')}>:<id>"`),
    correlationId: check(KafkaHeader.correlationId, text, 'an id'),
    causationId: check(KafkaHeader.causationId, text, 'an id', false) ?? null,
    streamVersion: check(
      KafkaHeader.streamVersion,
      (v) => (POSITIVE_INTEGER.test(v) && Number.isSafeInteger(Number(v)) ? Number(v) : undefined),
      'a positive integer',
    ),
  };

  if (problems.length > 0) {
    const missing = problems.some((p) => p.missing);
    throw new ContractError(
      missing ? ContractErrorCode.MISSING_HEADER : ContractErrorCode.INVALID_HEADER,
      `Kafka record headers do not carry a valid event envelope: ${problems
        .map((p) => `"${p.header}" ${p.problem}`)
        .join('; ')}`,
      { problems: problems.map(({ header, problem }) => ({ header, problem })) },
    );
  }
  // Every required field was checked above; an absent one would have been a problem.
  return envelope as EventEnvelope;
}

/** A record ready for a Kafka producer: binary protobuf value, CloudEvents headers. */
export function toKafkaRecord(event: RawEvent): KafkaRecord {
  const { envelope, payload } = event;
  return {
    key: envelope.subject,
    value: Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength),
    headers: toKafkaHeaders(envelope),
  };
}

/** The event in a consumed record; throws a {@link ContractError} when it carries none. */
export function fromKafkaRecord(record: {
  headers?: KafkaHeaders;
  value: Uint8Array | null;
}): RawEvent {
  const envelope = fromKafkaHeaders(record.headers ?? {});
  if (record.value === null) {
    throw new ContractError(
      ContractErrorCode.MALFORMED_PAYLOAD,
      `Kafka record of event ${envelope.id} (${envelope.type}) has no value`,
      { eventId: envelope.id, type: envelope.type },
    );
  }
  return { envelope, payload: record.value };
}

function parseActor(value: string): Actor | undefined {
  const separator = value.indexOf(':');
  const kind = value.slice(0, separator);
  const id = value.slice(separator + 1);
  if (separator < 0 || id === '' || !ACTOR_KINDS.includes(kind as ActorKind)) {
    return undefined;
  }
  return { kind: kind as ActorKind, id };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function quote(value: string): string {
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}
