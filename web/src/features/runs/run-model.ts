import Anser from 'anser';
import type { RunLogStream, RunStatus } from '../../graphql/generated';
import type { LiveEvent } from '../../lib/live/live-event';

export type LogLine = { position: number; stream: RunLogStream; text: string };

export const STATUS_NAMES: Record<RunStatus, string> = {
  RUNNING: 'Running',
  SUCCEEDED: 'Succeeded',
  FAILED: 'Failed',
  CANCELLED: 'Cancelled',
  TIMED_OUT: 'Timed out',
  ABANDONED: 'Abandoned',
};

/**
 * Lines merged in position order, each once: a page fetched and live chunks can overlap. `gap`
 * is the position after which lines are missing (fetch them), or null when the log is whole.
 */
export function mergeLines(
  held: readonly LogLine[],
  incoming: readonly LogLine[],
): { lines: LogLine[]; gap: number | null } {
  const last = held.at(-1)?.position ?? 0;
  const fresh = incoming.filter((line) => line.position > last);
  if (fresh.length === 0) {
    return { lines: held as LogLine[], gap: null };
  }
  const sorted = [...fresh].sort((a, b) => a.position - b.position);
  const lines = [...held];
  for (const line of sorted) {
    const end = lines.at(-1)?.position ?? 0;
    if (line.position === end + 1) {
      lines.push(line);
    } else if (line.position > end + 1) {
      // Something between is missing: keep what is contiguous, fetch from the end.
      return { lines, gap: end };
    }
  }
  return { lines, gap: null };
}

const LOG_STREAMS: Record<string, RunLogStream> = {
  LOG_STREAM_STDOUT: 'STDOUT',
  LOG_STREAM_STDERR: 'STDERR',
  LOG_STREAM_SYSTEM: 'SYSTEM',
};

/** The lines a live RunLogAppended carries (protobuf JSON: positions are strings). */
export function linesOfEvent(event: LiveEvent): LogLine[] {
  const raw = event.data?.lines;
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
            // Protobuf JSON leaves out the default (unspecified) and an empty text.
            stream: LOG_STREAMS[String(stream)] ?? 'STDOUT',
            text: typeof text === 'string' ? text : '',
          },
        ]
      : [];
  });
}

export type Segment = {
  text: string;
  /** `r, g, b` as anser gives it, or null for the default colour. */
  color: string | null;
  background: string | null;
  bold: boolean;
  dim: boolean;
  italic: boolean;
  underline: boolean;
};

/** A terminal line as coloured runs of text; escape codes never reach the page as text. */
export function segmentsOf(text: string): Segment[] {
  return Anser.ansiToJson(text, { remove_empty: true }).map((entry) => {
    const decorations = new Set(entry.decorations);
    return {
      text: entry.content,
      color: entry.fg || null,
      background: entry.bg || null,
      bold: decorations.has('bold'),
      dim: decorations.has('dim'),
      italic: decorations.has('italic'),
      underline: decorations.has('underline'),
    };
  });
}

const usd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});
const count = new Intl.NumberFormat('en-US');

/** "$0.0384", "~$3.00" for an estimate, "$0.12 + unpriced" when some usage had no price. */
export function formatCost(run: {
  costUsd: number;
  costEstimated: boolean;
  unpricedReports: number;
}): string {
  const amount = `${run.costEstimated ? '~' : ''}${usd.format(run.costUsd)}`;
  return run.unpricedReports > 0 ? `${amount} + unpriced` : amount;
}

export const formatTokens = (tokens: number): string => count.format(tokens);

/** "4 s", "2 min 5 s", "1 h 3 min": from start to end, or to now while running. */
export function formatDuration(startedAt: string, finishedAt: string | null, now: number): string {
  const seconds = Math.max(
    0,
    Math.round(((finishedAt ? Date.parse(finishedAt) : now) - Date.parse(startedAt)) / 1000),
  );
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${seconds % 60} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The run a live event is about, from its stream (`run-<id>`); null for other streams. */
export const runIdOf = (event: LiveEvent): string | null =>
  event.subject.startsWith('run-') ? event.subject.slice('run-'.length) : null;
