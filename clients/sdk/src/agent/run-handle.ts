import type {
  ClaimedMission,
  MissionControlClient,
  RunState,
} from '../client/mission-control.client';
import { isMissionControlError, MissionControlError } from '../errors/mission-control.error';
import type {
  BoardColumn,
  FinishRunMutation,
  RunLogStream,
  RunOutcome,
  RunUsageInput,
} from '../graphql/generated';
import type { LiveEvent } from '../live/live-connection';
import { type LogChunkLimits, LogBatcher } from './log-batcher';

export type LogStreamName = 'stdout' | 'stderr' | 'system' | RunLogStream;

/** How a run ended on the server without its agent finishing it (a budget stop, a person). */
export type RunEnded = {
  runId: string;
  outcome: RunOutcome;
  summary: string;
  /** The budget whose hard stop cancelled the run, if that is why. */
  budgetId: string | null;
};

export type RunHandleOptions = {
  flushAfterMs?: number;
  logLimits?: Partial<LogChunkLimits>;
  onError?: (error: unknown) => void;
  /** Called once when the run is over for this agent (finished here or ended on the server). */
  onSettled?: (run: RunHandle) => void;
};

export type FinishOptions = {
  summary?: string;
  /**
   * Where the mission goes once the run finished, e.g. DONE or REVIEW, and the claim on it ends:
   * the agent is done with it. Without, the mission stays put and held (for another run, or
   * `release`).
   */
  moveTo?: BoardColumn;
};

const STREAMS: Record<LogStreamName, RunLogStream> = {
  stdout: 'STDOUT',
  stderr: 'STDERR',
  system: 'SYSTEM',
  STDOUT: 'STDOUT',
  STDERR: 'STDERR',
  SYSTEM: 'SYSTEM',
};

const OUTCOMES: readonly RunOutcome[] = [
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'ABANDONED',
];

/** `RUN_OUTCOME_CANCELLED` (protobuf JSON) or `CANCELLED` as a RunOutcome. */
export function outcomeOf(value: unknown): RunOutcome {
  const name = typeof value === 'string' ? value.replace(/^RUN_OUTCOME_/, '') : '';
  return OUTCOMES.find((outcome) => outcome === name) ?? 'CANCELLED';
}

/** The run's end in a `mission.v1.RunFinished` event, or null for any other event. */
export function runEndedOf(event: LiveEvent): RunEnded | null {
  if (event.type !== 'mission.v1.RunFinished') {
    return null;
  }
  const data = event.data ?? {};
  return {
    runId: typeof data.runId === 'string' ? data.runId : event.subject,
    outcome: outcomeOf(data.outcome),
    summary: typeof data.summary === 'string' ? data.summary : '',
    budgetId: typeof data.budgetId === 'string' && data.budgetId !== '' ? data.budgetId : null,
  };
}

/** The reason a run's signal aborts with when the server ended it. */
export class RunEndedError extends MissionControlError {
  constructor(readonly ended: RunEnded) {
    super({
      code: 'CONFLICT',
      message: `Run ${ended.runId} ended on the server: ${ended.outcome}${ended.summary ? ` (${ended.summary})` : ''}`,
      details: { ...ended },
    });
    this.name = 'RunEndedError';
  }
}

/**
 * One run of a claimed mission: its log (batched), usage, progress and end. `signal` aborts when
 * the server ends the run first (a budget's hard stop, a person cancelling it, a lost claim):
 * stop the work then; writes after it are refused.
 */
export class RunHandle {
  readonly id: string;
  readonly workspaceId: string;
  readonly mission: ClaimedMission;
  private readonly controller = new AbortController();
  private readonly batcher: LogBatcher;
  private state: 'running' | 'finishing' | 'done' = 'running';

  constructor(
    private readonly client: MissionControlClient,
    run: RunState,
    mission: ClaimedMission,
    private readonly options: RunHandleOptions = {},
  ) {
    this.id = run.id;
    this.workspaceId = mission.workspaceId;
    this.mission = mission;
    this.batcher = new LogBatcher({
      flushAfterMs: options.flushAfterMs,
      limits: options.logLimits,
      send: (lines) =>
        this.client.appendRunLog(this.workspaceId, this.id, lines, {
          signal: this.controller.signal,
        }),
      onError: (error) => {
        this.options.onError?.(error);
        if (isMissionControlError(error, 'CONFLICT')) {
          void this.learnEnd(error);
        }
      },
    });
  }

  /** Aborts when the run ended on the server; its reason is a RunEndedError. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Whether the run is over for this agent. */
  get settled(): boolean {
    return this.state === 'done';
  }

  /**
   * Logs text (one line, or several separated by line breaks); sent in batches within the
   * server's chunk limits. Ignored once the run ended on the server.
   */
  log(stream: LogStreamName, text: string): void {
    if (this.signal.aborted || this.state !== 'running') {
      return;
    }
    this.batcher.add(STREAMS[stream], text);
  }

  /** Sends every line logged so far. */
  flush(): Promise<void> {
    return this.batcher.flush();
  }

  /** Tokens a step spent; priced on the server unless `costUsd` is given. */
  async reportUsage(input: RunUsageInput): Promise<RunState> {
    // Accepted after the run ended too: what was spent is still counted.
    return this.client.reportRunUsage(this.workspaceId, this.id, input);
  }

  /** Where the run has got to: a note (≤ 500 characters) and, when known, 0–100 %. */
  async progress(note: string, percent?: number): Promise<void> {
    try {
      await this.client.noteRunProgress(this.workspaceId, this.id, note, percent);
    } catch (error) {
      if (isMissionControlError(error, 'CONFLICT')) {
        await this.learnEnd(error);
      }
      throw error;
    }
  }

  /**
   * Sends the remaining log, then ends the run with `outcome`. If the server ended it first, the
   * signal aborts and this throws the RunEndedError.
   */
  async finish(
    outcome: RunOutcome = 'SUCCEEDED',
    options: FinishOptions = {},
  ): Promise<FinishRunMutation['finishRun']> {
    if (this.signal.aborted) {
      throw this.signal.reason;
    }
    this.state = 'finishing';
    try {
      await this.batcher.close().catch(() => undefined);
      const finished = await this.client.finishRun(
        this.workspaceId,
        this.id,
        outcome,
        options.summary,
      );
      this.settle();
      if (options.moveTo) {
        await this.client.moveMission(this.workspaceId, this.mission.id, options.moveTo);
        await this.client.releaseMission(this.workspaceId, this.mission.id);
      }
      return finished;
    } catch (error) {
      if (isMissionControlError(error, 'CONFLICT') && !this.signal.aborted) {
        await this.learnEnd(error);
      }
      this.settle();
      throw this.signal.aborted ? this.signal.reason : error;
    }
  }

  /** A live event of the workspace: the run's end, when it is this run's and not ours. */
  handleEvent(event: LiveEvent): void {
    const ended = runEndedOf(event);
    if (ended && ended.runId === this.id && this.state === 'running') {
      this.end(new RunEndedError(ended));
    }
  }

  /** Stops sending (on the agent's shutdown), after a last flush. */
  async close(): Promise<void> {
    await this.batcher.close().catch(() => undefined);
    this.settle();
  }

  /** Aborts the signal with `reason`: the run is over on the server. */
  end(reason: MissionControlError): void {
    if (!this.signal.aborted) {
      this.batcher.discard();
      this.controller.abort(reason);
    }
    this.settle();
  }

  /** A write was refused with CONFLICT: read the run, and end it here if it ended there. */
  private async learnEnd(conflict: MissionControlError): Promise<void> {
    try {
      const run = await this.client.run(this.workspaceId, this.id);
      if (run.status !== 'RUNNING') {
        this.end(
          new RunEndedError({
            runId: this.id,
            outcome: outcomeOf(run.status),
            summary: run.summary,
            budgetId: run.budgetId ?? null,
          }),
        );
      } else if (this.state === 'running') {
        // Still running, yet our write was refused: our claim on it is gone.
        this.end(conflict);
      }
    } catch (error) {
      this.options.onError?.(error);
    }
  }

  private settle(): void {
    if (this.state !== 'done') {
      this.state = 'done';
      this.options.onSettled?.(this);
    }
  }
}
