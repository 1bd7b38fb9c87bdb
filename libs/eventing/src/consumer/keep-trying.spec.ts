import { keepTrying } from './keep-trying';

describe('keepTrying', () => {
  it('retries with growing waits until an attempt succeeds', async () => {
    let calls = 0;
    const waits: number[] = [];
    const trying = keepTrying(
      () => {
        calls += 1;
        return calls < 4 ? Promise.reject(new Error(`down ${calls}`)) : Promise.resolve();
      },
      { initialDelayMs: 1, maxDelayMs: 3, onRetry: (_error, retryInMs) => waits.push(retryInMs) },
    );
    await trying.done;
    expect(calls).toBe(4);
    expect(waits).toEqual([1, 2, 3]);
  });

  it('stops waiting at once when cancelled', async () => {
    let calls = 0;
    const trying = keepTrying(
      () => {
        calls += 1;
        return Promise.reject(new Error('down'));
      },
      { initialDelayMs: 60_000, onRetry: () => undefined },
    );
    await new Promise((resolve) => setImmediate(resolve));
    const started = Date.now();
    trying.cancel();
    await trying.done;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(calls).toBe(1);
  });
});
