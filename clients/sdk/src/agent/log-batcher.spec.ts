import type { RunLogLineInput } from '../graphql/generated';
import { LOG_CHUNK_LIMITS, LogBatcher, nextChunkSize, toLogLines } from './log-batcher';

describe('toLogLines', () => {
  it('splits text at line breaks; a trailing break ends the last line', () => {
    expect(toLogLines('STDOUT', 'one\ntwo\r\nthree\n').map((line) => line.text)).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(toLogLines('STDERR', 'a\n\nb')).toEqual([
      { stream: 'STDERR', text: 'a' },
      { stream: 'STDERR', text: '' },
      { stream: 'STDERR', text: 'b' },
    ]);
    expect(toLogLines('STDOUT', '')).toEqual([{ stream: 'STDOUT', text: '' }]);
  });

  it('cuts a line longer than a line may be, never inside a surrogate pair', () => {
    const long = 'x'.repeat(LOG_CHUNK_LIMITS.maxLineChars * 2 + 5);
    const lines = toLogLines('STDOUT', long);
    expect(lines.map((line) => line.text.length)).toEqual([8_192, 8_192, 5]);

    const emoji = `${'x'.repeat(9)}😀rest`; // the pair sits at characters 10–11
    const cut = toLogLines('STDOUT', emoji, 10).map((line) => line.text);
    expect(cut).toEqual(['x'.repeat(9), '😀rest']);
    expect(cut.join('')).toBe(emoji);
  });
});

describe('nextChunkSize', () => {
  const line = (text: string) => ({ stream: 'STDOUT' as const, text });

  it('takes at most 500 lines', () => {
    expect(nextChunkSize(Array.from({ length: 1_200 }, () => line('a')))).toBe(500);
  });

  it('stays within the characters a chunk may carry', () => {
    const big = line('y'.repeat(8_000));
    const limits = { ...LOG_CHUNK_LIMITS, maxBytes: Infinity };
    // 32 lines of 8,000 = 256,000 ≤ 262,144; a 33rd would pass it.
    expect(
      nextChunkSize(
        Array.from({ length: 40 }, () => big),
        limits,
      ),
    ).toBe(32);
  });

  it('stays within the request body the gateway takes, counting UTF-8 bytes', () => {
    // The largest chunk of the most escaped text (every character sent as \u001b) fits.
    expect(LOG_CHUNK_LIMITS.maxChars * 6 + LOG_CHUNK_LIMITS.maxLines * 30).toBeLessThan(
      LOG_CHUNK_LIMITS.maxBytes,
    );
    const wide = line('é'.repeat(1_000)); // 2,000 bytes, its quotes and the line's JSON around it
    const size = nextChunkSize(
      Array.from({ length: 100 }, () => wide),
      { ...LOG_CHUNK_LIMITS, maxBytes: 20_500 },
    );
    expect(size).toBe(10);
    const coloured = line('\u001b[31mred\u001b[0m'.repeat(100)); // each ESC is sent as \u001b
    expect(nextChunkSize([coloured], { ...LOG_CHUNK_LIMITS, maxBytes: 1_900 })).toBe(1);
    expect(nextChunkSize([coloured, coloured], { ...LOG_CHUNK_LIMITS, maxBytes: 3_000 })).toBe(1);
  });

  it('always takes one line, even one over the byte budget alone', () => {
    expect(nextChunkSize([line('z'.repeat(8_192))], { ...LOG_CHUNK_LIMITS, maxBytes: 10 })).toBe(1);
  });
});

describe('LogBatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function recorder() {
    const chunks: RunLogLineInput[][] = [];
    const send = jest.fn((lines: RunLogLineInput[]) => {
      chunks.push(lines);
      return Promise.resolve();
    });
    return { chunks, send };
  }

  it('sends the lines of a quiet moment together once the oldest is flushAfterMs old', async () => {
    const { chunks, send } = recorder();
    const batcher = new LogBatcher({ send, flushAfterMs: 200 });
    batcher.add('STDOUT', 'cloning');
    await jest.advanceTimersByTimeAsync(150);
    batcher.add('STDERR', 'warning: slow disk');
    expect(send).not.toHaveBeenCalled();
    await jest.advanceTimersByTimeAsync(50);
    expect(chunks).toEqual([
      [
        { stream: 'STDOUT', text: 'cloning' },
        { stream: 'STDERR', text: 'warning: slow disk' },
      ],
    ]);
  });

  it('sends a full chunk at once, in order, one chunk in flight at a time', async () => {
    const order: string[] = [];
    let release: () => void = () => undefined;
    const send = jest.fn(async (lines: RunLogLineInput[]) => {
      order.push(`start ${lines[0]!.text}`);
      await new Promise<void>((resolve) => (release = resolve));
      order.push(`end ${lines[0]!.text}`);
    });
    const batcher = new LogBatcher({ send, flushAfterMs: 10_000, limits: { maxLines: 2 } });
    for (const text of ['1', '2', '3', '4', '5']) {
      batcher.add('STDOUT', text);
    }
    await jest.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(1);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(send).toHaveBeenCalledTimes(2);
    expect(batcher.pending).toBe(1); // line 5 waits for its time or a flush
    const flushed = batcher.flush();
    release();
    await jest.advanceTimersByTimeAsync(0);
    release();
    await flushed;
    expect(send.mock.calls.map(([lines]) => lines.map((line) => line.text))).toEqual([
      ['1', '2'],
      ['3', '4'],
      ['5'],
    ]);
    expect(order).toEqual(['start 1', 'end 1', 'start 3', 'end 3', 'start 5', 'end 5']);
  });

  it('splits a large write into chunks within the limits', async () => {
    const { chunks, send } = recorder();
    const batcher = new LogBatcher({ send });
    batcher.add('STDOUT', Array.from({ length: 1_234 }, (_, n) => `line ${n}`).join('\n'));
    await batcher.flush();
    expect(chunks.map((chunk) => chunk.length)).toEqual([500, 500, 234]);
    expect(chunks.flat().at(-1)).toEqual({ stream: 'STDOUT', text: 'line 1233' });
  });

  it('reports a chunk that could not be sent, drops what follows and fails the flush', async () => {
    const failure = new Error('run ended');
    const onError = jest.fn();
    const send = jest.fn().mockRejectedValue(failure);
    const batcher = new LogBatcher({ send, onError, limits: { maxLines: 1 } });
    batcher.add('STDOUT', 'a\nb');
    await expect(batcher.flush()).rejects.toBe(failure);
    expect(onError).toHaveBeenCalledWith(failure);
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('takes no lines once closed, and discard forgets waiting ones', async () => {
    const { send } = recorder();
    const batcher = new LogBatcher({ send });
    batcher.add('STDOUT', 'kept');
    await batcher.close();
    expect(send).toHaveBeenCalledTimes(1);
    expect(() => batcher.add('STDOUT', 'late')).toThrow('closed');

    const other = new LogBatcher({ send });
    other.add('STDOUT', 'never sent');
    other.discard();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(send).toHaveBeenCalledTimes(1);
  });
});
