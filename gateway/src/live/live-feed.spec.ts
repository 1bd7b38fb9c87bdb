import { LiveFeed, type LiveRecord } from './live-feed';
import type { LiveEvent } from './live-event';

const record = (partition: number, offset: number, workspaceId = 'w1'): LiveRecord => ({
  topic: 't',
  partition,
  offset: BigInt(offset),
  event: {
    id: `${partition}-${offset}`,
    type: 'mission.v1.MissionMoved',
    subject: `m-${partition}`,
    workspaceId,
    time: '2026-11-22T00:00:00Z',
    actor: 'user:u1',
    data: null,
  },
});

function feedWith(bufferSize = 100) {
  const feed = new LiveFeed({ bufferSize, maxQueued: 5 });
  feed.begin([
    { topic: 't', partition: 0, offset: 0n },
    { topic: 't', partition: 1, offset: 0n },
  ]);
  const seen: LiveEvent[] = [];
  feed.listen((event) => seen.push(event));
  return { feed, seen };
}

const ids = (events: LiveEvent[]) => events.map((event) => event.id);

describe('LiveFeed', () => {
  it('replays exactly what came after a position, across partitions', () => {
    const { feed, seen } = feedWith();
    [record(0, 0), record(1, 0), record(0, 1)].forEach((r) => feed.dispatch(r));
    const position = seen.at(-1)!.position;
    [record(1, 1), record(0, 2), record(1, 2)].forEach((r) => feed.dispatch(r));
    expect(ids(feed.replay(position, () => true))).toEqual(['1-1', '0-2', '1-2']);
  });

  it('hands out a position before any event that replays everything after it', () => {
    const { feed } = feedWith();
    const start = feed.position();
    feed.dispatch(record(1, 0));
    expect(ids(feed.replay(start, () => true))).toEqual(['1-0']);
  });

  it('drops a record handed over twice', () => {
    const { feed, seen } = feedWith();
    [record(0, 0), record(0, 1), record(0, 1), record(0, 0)].forEach((r) => feed.dispatch(r));
    expect(ids(seen)).toEqual(['0-0', '0-1']);
  });

  it('applies the filter to replayed events', () => {
    const { feed } = feedWith();
    const start = feed.position();
    [record(0, 0, 'w1'), record(0, 1, 'w2'), record(1, 0, 'w1')].forEach((r) => feed.dispatch(r));
    expect(ids(feed.replay(start, (event) => event.workspaceId === 'w1'))).toEqual(['0-0', '1-0']);
  });

  it('refuses to replay from a position older than what it still holds, asking for a resync', () => {
    const { feed } = feedWith(3);
    const start = feed.position();
    for (let offset = 0; offset < 5; offset += 1) {
      feed.dispatch(record(0, offset));
    }
    expect(() => feed.replay(start, () => true)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', details: { resync: true } }),
    );
  });

  it('subscribes: replay first, then live, with nothing lost or repeated in between', async () => {
    const { feed, seen } = feedWith();
    feed.dispatch(record(0, 0));
    const position = seen.at(-1)!.position;
    feed.dispatch(record(0, 1));
    const iterator = feed.subscribe(() => true, position);
    feed.dispatch(record(0, 2));
    const got = [await iterator.next(), await iterator.next()].map(
      (r) => (r.value as LiveEvent).id,
    );
    expect(got).toEqual(['0-1', '0-2']);
    await iterator.return!();
    feed.dispatch(record(0, 3));
    expect(await iterator.next()).toEqual({ value: undefined, done: true });
  });

  it('cuts off a subscriber that falls too far behind with LIMIT_EXCEEDED', async () => {
    const { feed } = feedWith();
    const iterator = feed.subscribe(() => true);
    for (let offset = 0; offset < 7; offset += 1) {
      feed.dispatch(record(0, offset));
    }
    const results: string[] = [];
    await expect(
      (async () => {
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            return;
          }
          results.push(next.value.id);
        }
      })(),
    ).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    expect(results).toEqual(['0-0', '0-1', '0-2', '0-3', '0-4', '0-5']);
  });
});
