import { canonicalJson, chainHash, GENESIS_HASH } from './hash-chain';

const event = {
  id: '01930000-0000-7000-8000-000000000001',
  streamId: 'mission-1',
  version: 1,
  type: 'mission.v1.MissionCreated',
  payload: Buffer.from([1, 2, 3]),
  metadata: {
    source: '//mission-control/mission',
    time: '2026-11-22T10:00:00.000Z',
    workspaceId: 'ws-1',
    actor: { kind: 'user' as const, id: 'u-1' },
    correlationId: 'c-1',
    causationId: null,
  },
};

describe('hash chain', () => {
  it('is deterministic and independent of metadata key order', () => {
    const reordered = {
      ...event,
      metadata: { ...event.metadata, actor: { id: 'u-1', kind: 'user' as const } },
    };
    expect(chainHash(GENESIS_HASH, reordered).equals(chainHash(GENESIS_HASH, event))).toBe(true);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
  });

  it('changes when any field or the previous hash changes', () => {
    const base = chainHash(GENESIS_HASH, event).toString('hex');
    const variants = [
      chainHash(Buffer.alloc(32, 1), event),
      chainHash(GENESIS_HASH, { ...event, id: event.id.replace(/1$/, '2') }),
      chainHash(GENESIS_HASH, { ...event, streamId: 'mission-2' }),
      chainHash(GENESIS_HASH, { ...event, version: 2 }),
      chainHash(GENESIS_HASH, { ...event, type: 'mission.v1.MissionMoved' }),
      chainHash(GENESIS_HASH, { ...event, payload: Buffer.from([1, 2, 4]) }),
      chainHash(GENESIS_HASH, { ...event, metadata: { ...event.metadata, workspaceId: 'ws-2' } }),
    ].map((hash) => hash.toString('hex'));
    expect(new Set([base, ...variants]).size).toBe(variants.length + 1);
  });

  it('cannot be fooled by moving bytes between adjacent fields', () => {
    const a = chainHash(GENESIS_HASH, { ...event, streamId: 'ab', type: 'c' });
    const b = chainHash(GENESIS_HASH, { ...event, streamId: 'a', type: 'bc' });
    expect(a.equals(b)).toBe(false);
  });
});
