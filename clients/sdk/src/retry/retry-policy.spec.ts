import { MissionControlError } from '../errors/mission-control.error';
import { isRetryable, withRetries } from './retry-policy';

const busy = (retryAfterSeconds?: number) =>
  new MissionControlError({
    code: 'LIMIT_EXCEEDED',
    message: 'busy',
    retryable: true,
    details: retryAfterSeconds === undefined ? null : { retryAfterSeconds },
  });

describe('withRetries', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.spyOn(Math, 'random').mockRestore();
  });

  it('retries a retryable failure with growing, jittered delays until it succeeds', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
    const attempt = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(busy())
      .mockRejectedValueOnce(MissionControlError.network(new Error('ECONNRESET')))
      .mockResolvedValue('ok');
    const result = withRetries(attempt, { policy: { initialDelayMs: 100, multiplier: 2 } });
    await jest.advanceTimersByTimeAsync(0);
    expect(attempt).toHaveBeenCalledTimes(1);
    // Full jitter: half of 100 ms with random() = 0.5, then half of 200 ms.
    await jest.advanceTimersByTimeAsync(49);
    expect(attempt).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(attempt).toHaveBeenCalledTimes(2);
    await jest.advanceTimersByTimeAsync(100);
    await expect(result).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('gives up after the policy’s attempts with the last failure', async () => {
    const failure = busy();
    const attempt = jest.fn().mockRejectedValue(failure);
    const result = withRetries(attempt, { policy: { attempts: 3, initialDelayMs: 10 } });
    const settled = expect(result).rejects.toBe(failure);
    await jest.advanceTimersByTimeAsync(1_000);
    await settled;
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('does not retry what the server says will fail again, nor a CONFLICT', async () => {
    const forbidden = new MissionControlError({ code: 'FORBIDDEN', message: 'no' });
    const conflict = new MissionControlError({ code: 'CONFLICT', message: 'c', retryable: true });
    for (const failure of [forbidden, conflict, new Error('a bug')]) {
      const attempt = jest.fn().mockRejectedValue(failure);
      await expect(withRetries(attempt)).rejects.toBe(failure);
      expect(attempt).toHaveBeenCalledTimes(1);
    }
    expect(isRetryable(busy())).toBe(true);
    expect(isRetryable(conflict)).toBe(false);
  });

  it('waits at least the retryAfterSeconds the server asked for', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const attempt = jest.fn().mockRejectedValueOnce(busy(2)).mockResolvedValue('ok');
    const onRetry = jest.fn();
    const result = withRetries(attempt, { onRetry });
    await jest.advanceTimersByTimeAsync(1_999);
    expect(attempt).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(500);
    await expect(result).resolves.toBe('ok');
    expect(attempt).toHaveBeenCalledTimes(2);
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ code: 'LIMIT_EXCEEDED' }), 1);
  });

  it('stops retrying once its signal aborts', async () => {
    const controller = new AbortController();
    const attempt = jest.fn().mockRejectedValue(busy());
    const result = withRetries(attempt, { signal: controller.signal, policy: { attempts: 10 } });
    const settled = expect(result).rejects.toMatchObject({ code: 'LIMIT_EXCEEDED' });
    await jest.advanceTimersByTimeAsync(0);
    controller.abort();
    await jest.advanceTimersByTimeAsync(60_000);
    await settled;
    expect(attempt.mock.calls.length).toBeLessThanOrEqual(2);
  });
});
