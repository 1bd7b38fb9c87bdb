import {
  CLOUDEVENTS_SPEC_VERSION,
  PROTOBUF_CONTENT_TYPE,
  createEnvelope,
  eventSource,
  newEventId,
} from './envelope';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The Unix milliseconds a uuidv7 starts with. */
const millisOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);

describe('newEventId', () => {
  it('makes RFC 9562 version 7 UUIDs stamped with the current time', () => {
    const before = Date.now();
    const id = newEventId();
    const after = Date.now();

    expect(id).toMatch(UUID_V7);
    expect(millisOf(id)).toBeGreaterThanOrEqual(before);
    expect(millisOf(id)).toBeLessThanOrEqual(after);
  });

  it('sorts ids in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => newEventId());

    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('sorts an id made later after one made earlier', async () => {
    const first = newEventId();
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = newEventId();

    expect(millisOf(second)).toBeGreaterThan(millisOf(first));
    expect(second > first).toBe(true);
  });
});

describe('createEnvelope', () => {
  const init = {
    type: 'mission.v1.MissionCreated',
    source: eventSource('mission'),
    subject: 'mission-1',
    workspaceId: 'ws-1',
    actor: { kind: 'user' as const, id: 'user-1' },
    correlationId: 'req-1',
    causationId: null,
    streamVersion: 1,
  };

  it('fills in a fresh id, the time and the fixed CloudEvents attributes', () => {
    const envelope = createEnvelope({ ...init, time: new Date('2026-01-02T03:04:05.678Z') });

    expect(envelope).toEqual({
      ...init,
      id: expect.stringMatching(UUID_V7),
      time: '2026-01-02T03:04:05.678Z',
      specversion: CLOUDEVENTS_SPEC_VERSION,
      datacontenttype: PROTOBUF_CONTENT_TYPE,
    });
    expect(envelope.source).toBe('//mission-control/mission');
  });

  it('keeps an id chosen by the caller', () => {
    const id = newEventId();

    expect(createEnvelope({ ...init, id }).id).toBe(id);
  });
});
