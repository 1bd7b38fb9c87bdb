import { ContractError, ContractErrorCode } from './contract-error';
import { createEnvelope, eventSource, type EventEnvelope } from './envelope';
import {
  fromKafkaHeaders,
  fromKafkaRecord,
  toKafkaHeaders,
  toKafkaRecord,
  type KafkaHeaders,
} from './kafka-headers';

const envelope: EventEnvelope = createEnvelope({
  id: '01966b2e-4f3a-7c1d-8e2f-0a1b2c3d4e5f',
  type: 'mission.v1.MissionCreated',
  source: eventSource('mission'),
  subject: 'mission-42',
  time: '2026-03-04T05:06:07.890Z',
  workspaceId: 'ws-7',
  actor: { kind: 'agent', id: 'agent:with:colons' },
  correlationId: 'req-1',
  causationId: 'cmd-1',
  streamVersion: 3,
});

/** Headers as kafkajs hands them to a consumer: every value a Buffer. */
const asBuffers = (headers: Record<string, string>): KafkaHeaders =>
  Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, Buffer.from(value)]));

/** The error `fn` throws, for assertions on its code, message and details. */
function errorOf(fn: () => unknown): ContractError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContractError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a ContractError, nothing was thrown');
}

describe('toKafkaHeaders', () => {
  it('writes the CloudEvents binary-mode headers, content-type for the data content type', () => {
    expect(toKafkaHeaders(envelope)).toEqual({
      ce_id: '01966b2e-4f3a-7c1d-8e2f-0a1b2c3d4e5f',
      ce_type: 'mission.v1.MissionCreated',
      ce_source: '//mission-control/mission',
      ce_specversion: '1.0',
      ce_time: '2026-03-04T05:06:07.890Z',
      ce_subject: 'mission-42',
      'content-type': 'application/protobuf',
      ce_workspaceid: 'ws-7',
      ce_actor: 'agent:agent:with:colons',
      ce_correlationid: 'req-1',
      ce_causationid: 'cmd-1',
      ce_streamversion: '3',
    });
  });

  it('leaves out the causation header when nothing caused the event', () => {
    const headers = toKafkaHeaders({ ...envelope, causationId: null });

    expect(headers).not.toHaveProperty('ce_causationid');
    expect(fromKafkaHeaders(headers).causationId).toBeNull();
  });

  it('refuses, at the producer, an envelope every consumer would reject', () => {
    const error = errorOf(() => toKafkaHeaders({ ...envelope, streamVersion: 0 }));

    expect(error.code).toBe(ContractErrorCode.INVALID_HEADER);
    expect(error.message).toContain('"ce_streamversion" must be a positive integer, got "0"');
  });
});

describe('fromKafkaHeaders', () => {
  it('reads back the envelope from string headers', () => {
    expect(fromKafkaHeaders(toKafkaHeaders(envelope))).toEqual(envelope);
  });

  it('reads back the envelope from Buffer headers, as a Kafka consumer receives them', () => {
    expect(fromKafkaHeaders(asBuffers(toKafkaHeaders(envelope)))).toEqual(envelope);
  });

  it('accepts a header repeated with the same value and rejects one with two values', () => {
    const headers = toKafkaHeaders(envelope);

    expect(
      fromKafkaHeaders({ ...headers, ce_type: [Buffer.from(headers.ce_type!), headers.ce_type!] }),
    ).toEqual(envelope);
    expect(
      errorOf(() => fromKafkaHeaders({ ...headers, ce_type: ['a.v1.A', 'b.v1.B'] })).message,
    ).toContain('"ce_type" has 2 different values');
  });

  it('names every missing required header', () => {
    const { ce_type: _type, ce_workspaceid: _workspace, ...rest } = toKafkaHeaders(envelope);

    const error = errorOf(() => fromKafkaHeaders(asBuffers(rest)));

    expect(error.code).toBe(ContractErrorCode.MISSING_HEADER);
    expect(error.message).toBe(
      'Kafka record headers do not carry a valid event envelope: "ce_type" is missing; "ce_workspaceid" is missing',
    );
    expect(error.details).toEqual({
      problems: [
        { header: 'ce_type', problem: 'is missing' },
        { header: 'ce_workspaceid', problem: 'is missing' },
      ],
    });
  });

  it('treats an empty header as missing', () => {
    expect(
      errorOf(() => fromKafkaHeaders({ ...toKafkaHeaders(envelope), ce_subject: '' })).message,
    ).toContain('"ce_subject" is missing');
  });

  it.each([
    ['ce_id', 'not-a-uuid', 'must be a UUID'],
    ['ce_time', 'yesterday', 'must be an RFC 3339 timestamp'],
    ['ce_specversion', '0.3', 'must be "1.0"'],
    ['content-type', 'application/json', 'must be "application/protobuf"'],
    ['ce_actor', 'robot:r2', 'must be "<user|agent|system>:<id>"'],
    ['ce_actor', 'user:', 'must be "<user|agent|system>:<id>"'],
    ['ce_streamversion', '1.5', 'must be a positive integer'],
  ])('rejects %s = %j', (header, value, expected) => {
    const error = errorOf(() => fromKafkaHeaders({ ...toKafkaHeaders(envelope), [header]: value }));

    expect(error.code).toBe(ContractErrorCode.INVALID_HEADER);
    expect(error.message).toContain(`"${header}" ${expected}, got ${JSON.stringify(value)}`);
  });

  it('rejects a header value that is not UTF-8', () => {
    const error = errorOf(() =>
      fromKafkaHeaders({ ...toKafkaHeaders(envelope), ce_source: Buffer.from([0xff, 0xfe]) }),
    );

    expect(error.message).toContain('"ce_source" is not valid UTF-8');
  });
});

describe('Kafka records', () => {
  it('keys the record by stream id and carries the payload bytes as the value', () => {
    const payload = new Uint8Array([8, 1, 18, 3, 97, 98, 99]);

    const record = toKafkaRecord({ envelope, payload });

    expect(record.key).toBe('mission-42');
    expect(Buffer.isBuffer(record.value)).toBe(true);
    expect([...record.value]).toEqual([...payload]);
    expect(fromKafkaRecord({ headers: asBuffers(record.headers), value: record.value })).toEqual({
      envelope,
      payload: record.value,
    });
  });

  it('rejects a record without a value', () => {
    const error = errorOf(() =>
      fromKafkaRecord({ headers: toKafkaHeaders(envelope), value: null }),
    );

    expect(error.code).toBe(ContractErrorCode.MALFORMED_PAYLOAD);
    expect(error.message).toContain(envelope.id);
  });
});
