import type { RunUsageInput } from '@mission-control/sdk';

/** What a run is about, as the adapter turns it into a command line. */
export type MissionBrief = {
  missionId: string;
  runId: string;
  title: string;
  description: string;
  acceptanceCriteria: string;
  /** The run's working folder (the process's cwd). */
  workFolder: string;
  /** The file in it holding the mission (title, description, acceptance criteria). */
  missionFile: string;
  /** The prompt, made from the adapter's template. */
  prompt: string;
};

/** A process to start: the executable, its arguments, what goes to its stdin, extra environment. */
export type AdapterCommand = {
  command: string;
  args: string[];
  /** Written to stdin, which is then closed; stdin is closed at once without it. */
  stdin?: string;
  env?: Record<string, string>;
};

export type OutputStream = 'stdout' | 'stderr';

/** How the adapter's own work ended, as far as its output says. */
export type AdapterOutcome = { outcome: 'SUCCEEDED' | 'FAILED'; summary: string };

/** One thing read from the process's output. */
export type AdapterEvent =
  | { type: 'log'; stream: OutputStream | 'system'; text: string }
  | { type: 'usage'; usage: RunUsageInput }
  /** Where the work has got to (a to-do list's state): shown on the board and the run page. */
  | { type: 'progress'; note: string; percent?: number }
  /** The agent said how its work ended (Claude Code's result, Codex's turn.failed…). */
  | { type: 'result'; result: AdapterOutcome }
  /** Output the adapter cannot read: the run fails with this in its log. */
  | { type: 'invalid'; error: string };

/** How the process ended. */
export type ProcessExit = {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Why it could not start (ENOENT, EACCES…). */
  error?: string;
};

/**
 * A run's reading of the output: pure (no I/O), one per run since it may keep state between
 * lines (a tool call's name until its result comes).
 */
export type OutputParser = {
  /** One line of output, without its line break, ANSI colours and all. */
  line(stream: OutputStream, text: string): AdapterEvent[];
  /** The process ended: the run's outcome from what was read and how it exited. */
  end(exit: ProcessExit): AdapterOutcome;
};

/** Names an adapter reports on the run (StartRunInput). */
export type RunDescription = { adapter: string; model: string; provider: string };

type AdapterBase = {
  readonly name: string;
  readonly run: RunDescription;
  /** The prompt template (`{{title}}`, `{{description}}`, `{{acceptanceCriteria}}`…). */
  readonly promptTemplate: string;
};

/** Turns a mission into a process and the process's output into a run's log, usage and end. */
export type ProcessAdapter = AdapterBase & {
  readonly kind?: 'process';
  command(brief: MissionBrief): AdapterCommand;
  parser(): OutputParser;
};

/**
 * A turn of a remote runtime's session, under way: its events come as they are read, `ended`
 * says how it ended, and `stop` ends it early (a cancel, a parse error, the runner stopping).
 */
export type RemoteTurn = {
  readonly ended: Promise<AdapterOutcome>;
  /** Ends the turn on the remote side as well; resolves once it is let go of. */
  stop(): Promise<void>;
};

/** Drives a session of a remote runtime (a gateway over WebSocket) instead of a process. */
export type SessionAdapter = AdapterBase & {
  readonly kind: 'session';
  /** Where the turn runs, for the run's first log line (a URL and a session, no secret). */
  describe(brief: MissionBrief): string;
  start(brief: MissionBrief, onEvents: (events: AdapterEvent[]) => void): RemoteTurn;
};

export type AgentAdapter = ProcessAdapter | SessionAdapter;

export const isSessionAdapter = (adapter: AgentAdapter): adapter is SessionAdapter =>
  adapter.kind === 'session';

/** How an exit reads when the output said nothing of the outcome. */
export function exitOutcome(exit: ProcessExit, what: string): AdapterOutcome {
  if (exit.code === 0) {
    return { outcome: 'SUCCEEDED', summary: `${what} exited with code 0` };
  }
  return {
    outcome: 'FAILED',
    summary: exit.error
      ? `${what} could not start: ${exit.error}`
      : exit.code === null
        ? `${what} was killed by ${exit.signal ?? 'a signal'}`
        : `${what} exited with code ${exit.code}`,
  };
}

/** A short, single-line rendering of a value for a log line. */
export function oneLine(value: unknown, max = 240): string {
  const text = (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** Text's lines as log events of one stream (a message may hold several lines). */
export function logLines(stream: OutputStream | 'system', text: string): AdapterEvent[] {
  return text
    .split(/\r\n|\r|\n/)
    .filter((line, index, all) => line !== '' || index < all.length - 1)
    .map((line) => ({ type: 'log' as const, stream, text: line }));
}

/** A to-do list as progress: the item under way (else the next one) and the share done. */
export function todoProgress(
  items: { text: string; done: boolean; active?: boolean }[],
): AdapterEvent[] {
  if (items.length === 0) {
    return [];
  }
  const done = items.filter((item) => item.done).length;
  const current = items.find((item) => item.active) ?? items.find((item) => !item.done);
  return [
    {
      type: 'progress',
      note: oneLine(current ? current.text : 'All done', 500),
      percent: Math.round((done / items.length) * 100),
    },
  ];
}

/**
 * A stdout line of a CLI writing one JSON object a line, read as far as its `type`: stderr is
 * passed through, a blank line is nothing, and a line that is not a typed object is a parse error
 * naming the tool. The caller reads the rest by the type.
 */
export function readJsonLine(
  stream: OutputStream,
  text: string,
  what: { tool: string; noun: 'message' | 'event' },
): { type: string; value: unknown } | AdapterEvent[] {
  if (stream === 'stderr') {
    return [{ type: 'log', stream, text }];
  }
  if (text.trim() === '') {
    return [];
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return [
      {
        type: 'invalid',
        error: `${what.tool} wrote a line that is not JSON (${(error as Error).message}): ${oneLine(text, 120)}`,
      },
    ];
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (
    typeof value !== 'object' ||
    value === null ||
    Array.isArray(value) ||
    typeof type !== 'string'
  ) {
    return [
      {
        type: 'invalid',
        error: `${what.tool} wrote JSON that is not ${what.noun === 'event' ? 'an' : 'a'} ${what.noun}: ${oneLine(text, 120)}`,
      },
    ];
  }
  return { type, value };
}
