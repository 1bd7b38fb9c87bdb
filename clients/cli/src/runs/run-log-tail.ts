import type { RunLogStream } from '@mission-control/sdk';

export type TailLine = { position: number; stream: RunLogStream; text: string };

const LOG_STREAMS: Record<string, RunLogStream> = {
  LOG_STREAM_STDOUT: 'STDOUT',
  LOG_STREAM_STDERR: 'STDERR',
  LOG_STREAM_SYSTEM: 'SYSTEM',
};

/** The lines a live `mission.v1.RunLogAppended` carries (protobuf JSON: positions are strings). */
export function linesOfEvent(data: Record<string, unknown> | null): TailLine[] {
  const raw = data?.lines;
  if (!Array.isArray(raw)) {
    return [];
  }
  return raw.flatMap((line: unknown) => {
    if (typeof line !== 'object' || line === null) {
      return [];
    }
    const { position, stream, text } = line as Record<string, unknown>;
    const at = Number(position);
    return Number.isInteger(at) && at > 0
      ? [
          {
            position: at,
            // Protobuf JSON leaves out the default (unspecified) stream and an empty text.
            stream: LOG_STREAMS[String(stream)] ?? 'STDOUT',
            text: typeof text === 'string' ? text : '',
          },
        ]
      : [];
  });
}

/**
 * A run's log printed once and in order, however its lines arrive: pages read over GraphQL and
 * chunks pushed live overlap and may skip ahead. Lines at or before the last printed are dropped;
 * a gap asks for a catch-up read from the last printed position.
 */
export class RunLogTail {
  private printed = 0;

  constructor(private readonly print: (line: TailLine) => void) {}

  /** The last position printed (0 before any). */
  get position(): number {
    return this.printed;
  }

  /** Prints what follows on from the last printed line; answers whether some were missing. */
  accept(lines: readonly TailLine[]): { gap: boolean } {
    const sorted = [...lines].sort((a, b) => a.position - b.position);
    for (const line of sorted) {
      if (line.position <= this.printed) {
        continue;
      }
      if (line.position > this.printed + 1) {
        return { gap: true };
      }
      this.print(line);
      this.printed = line.position;
    }
    return { gap: false };
  }
}
