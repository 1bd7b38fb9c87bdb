import type { RunLogLineInput, RunLogStream } from '../graphql/generated';

/**
 * What one appendRunLog call may carry (services/mission LOG_LIMITS): 500 lines, 262,144
 * characters in all, 8,192 characters a line. `maxBytes` keeps a chunk's request body within
 * what the gateway reads (2 MB of JSON), whatever the characters weigh as JSON.
 */
export type LogChunkLimits = {
  maxLines: number;
  maxChars: number;
  maxLineChars: number;
  maxBytes: number;
};

export const LOG_CHUNK_LIMITS: LogChunkLimits = {
  maxLines: 500,
  maxChars: 262_144,
  maxLineChars: 8_192,
  maxBytes: 1_900_000,
};

export type LogLine = { stream: RunLogStream; text: string };

// The line's object around its quoted text: `{"stream":"STDOUT","text":},`.
const LINE_OVERHEAD_BYTES = 30;

// As sent: JSON escapes weigh more than their character (an ANSI colour's ESC is `\u001b`).
const lineBytes = (line: LogLine) =>
  Buffer.byteLength(JSON.stringify(line.text), 'utf8') + LINE_OVERHEAD_BYTES;

/**
 * Text as log lines: split at line breaks (a trailing one ends the last line, it does not start
 * an empty one) and cut into pieces a line may hold, never inside a surrogate pair.
 */
export function toLogLines(
  stream: RunLogStream,
  text: string,
  maxLineChars = LOG_CHUNK_LIMITS.maxLineChars,
): LogLine[] {
  const parts = text.split(/\r\n|\r|\n/);
  if (parts.length > 1 && parts.at(-1) === '') {
    parts.pop();
  }
  const lines: LogLine[] = [];
  for (const part of parts) {
    let rest = part;
    while (rest.length > maxLineChars) {
      let cut = maxLineChars;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) {
        cut -= 1;
      }
      lines.push({ stream, text: rest.slice(0, cut) });
      rest = rest.slice(cut);
    }
    lines.push({ stream, text: rest });
  }
  return lines;
}

/** How many of `lines`, from the start, make the next chunk (at least one). */
export function nextChunkSize(lines: LogLine[], limits: LogChunkLimits = LOG_CHUNK_LIMITS): number {
  let chars = 0;
  let bytes = 0;
  let count = 0;
  for (const line of lines) {
    if (count === limits.maxLines) {
      break;
    }
    const nextChars = chars + line.text.length;
    const nextBytes = bytes + lineBytes(line);
    if (count > 0 && (nextChars > limits.maxChars || nextBytes > limits.maxBytes)) {
      break;
    }
    chars = nextChars;
    bytes = nextBytes;
    count += 1;
  }
  return count;
}

export type LogBatcherOptions = {
  /** Sends one chunk; chunks are sent one after another, in order. */
  send: (lines: RunLogLineInput[]) => Promise<unknown>;
  /** Lines wait at most this long before they are sent (default 250 ms). */
  flushAfterMs?: number;
  limits?: Partial<LogChunkLimits>;
  /** A chunk that could not be sent (after the client's retries); its lines are dropped. */
  onError?: (error: unknown) => void;
};

/**
 * Collects log lines and sends them in chunks: as soon as a full chunk is waiting, else once the
 * oldest waiting line is `flushAfterMs` old. One chunk is in flight at a time, so the server
 * numbers the lines in the order they were logged.
 */
export class LogBatcher {
  private waiting: LogLine[] = [];
  private waitingChars = 0;
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private closed = false;
  private readonly limits: LogChunkLimits;
  private readonly flushAfterMs: number;

  constructor(private readonly options: LogBatcherOptions) {
    this.limits = { ...LOG_CHUNK_LIMITS, ...options.limits };
    this.flushAfterMs = options.flushAfterMs ?? 250;
  }

  /** Lines not yet handed to `send`. */
  get pending(): number {
    return this.waiting.length;
  }

  /** The first chunk that could not be sent, if any. */
  get error(): Error | null {
    return this.failure;
  }

  add(stream: RunLogStream, text: string): void {
    if (this.closed) {
      throw new Error('This run’s log is closed');
    }
    for (const line of toLogLines(stream, text, this.limits.maxLineChars)) {
      this.waiting.push(line);
      this.waitingChars += line.text.length;
      this.waitingBytes += lineBytes(line);
    }
    if (this.full()) {
      this.dispatch(false);
    }
    if (this.waiting.length > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.dispatch(true);
      }, this.flushAfterMs);
    }
  }

  /** Sends everything logged so far; rejects with the first chunk that could not be sent. */
  async flush(): Promise<void> {
    this.dispatch(true);
    await this.sending;
    if (this.failure) {
      throw this.failure;
    }
  }

  /** Sends what is waiting and takes no more lines. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Stops the timer and forgets waiting lines (the run ended on the server: they would fail). */
  discard(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting = [];
    this.waitingChars = 0;
    this.waitingBytes = 0;
  }

  private full(): boolean {
    return (
      this.waiting.length >= this.limits.maxLines ||
      this.waitingChars >= this.limits.maxChars ||
      this.waitingBytes >= this.limits.maxBytes
    );
  }

  /** Queues chunks for sending: full ones only, or (`all`) everything waiting. */
  private dispatch(all: boolean): void {
    if (all) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiting.length > 0 && (all || this.full())) {
      const size = nextChunkSize(this.waiting, this.limits);
      const chunk = this.waiting.splice(0, size);
      for (const line of chunk) {
        this.waitingChars -= line.text.length;
        this.waitingBytes -= lineBytes(line);
      }
      this.sending = this.sending.then(() => this.sendChunk(chunk));
    }
  }

  private async sendChunk(chunk: LogLine[]): Promise<void> {
    if (this.failure) {
      return;
    }
    try {
      await this.options.send(chunk.map(({ stream, text }) => ({ stream, text })));
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      this.options.onError?.(this.failure);
    }
  }
}
