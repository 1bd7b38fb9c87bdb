import { AppError } from '@mission-control/errors';
import { QueryLane } from './query-lane';

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('QueryLane', () => {
  it('runs at most `concurrency` queries and admits the waiting ones in arrival order', async () => {
    const sut = new QueryLane(2, 10);
    const admitted: string[] = [];
    const enter = (name: string) =>
      sut.acquire().then((release) => {
        admitted.push(name);
        return release;
      });

    const [a, b] = await Promise.all([enter('a'), enter('b')]);
    const c = enter('c');
    const d = enter('d');
    await settled();
    expect(admitted).toEqual(['a', 'b']);
    expect(sut.load).toEqual({ running: 2, waiting: 2 });

    b();
    await settled();
    expect(admitted).toEqual(['a', 'b', 'c']);
    a();
    (await c)();
    (await d)();
    expect(admitted).toEqual(['a', 'b', 'c', 'd']);
    expect(sut.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees a slot once, however often its release is called', async () => {
    const sut = new QueryLane(1, 10);
    const release = await sut.acquire();
    const next = sut.acquire();
    release();
    release();
    (await next)();
    expect(sut.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses with LIMIT_EXCEEDED when the queue is full, instead of queueing without end', async () => {
    const sut = new QueryLane(1, 1);
    await sut.acquire();
    void sut.acquire();
    const refused = await sut.acquire().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { retryAfterSeconds: 1 } });
  });

  it('lets every query through when the concurrency is 0', async () => {
    const sut = new QueryLane(0, 0);
    await Promise.all(Array.from({ length: 50 }, () => sut.acquire()));
    expect(sut.load).toEqual({ running: 0, waiting: 0 });
  });
});
