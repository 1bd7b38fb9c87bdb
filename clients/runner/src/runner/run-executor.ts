import { once } from 'node:events';
import { createInterface } from 'node:readline';
import {
  type AgentSession,
  type BoardColumn,
  type ClaimedMission,
  isMissionControlError,
  type RunEndedError,
  type RunHandle,
  type RunBilling,
  type RunOutcome,
} from '@mission-control/sdk';
import {
  type AdapterEvent,
  type AdapterOutcome,
  type AgentAdapter,
  isSessionAdapter,
  type MissionBrief,
  type OutputStream,
  type ProcessAdapter,
  type ProcessExit,
} from '../adapters/adapter';
import { ProcessTree } from '../process/process-tree';
import { prepareWorkFolder, removeWorkFolder } from '../work/work-folder';

/** How a run ended for the runner. */
export type RunReport = {
  runId: string;
  missionId: string;
  /** As finished by the runner, as ended by the server (CANCELLED…), or ABANDONED when handed back. */
  outcome: RunOutcome;
  summary: string;
  /** When the run's cancel reached the runner, and when its last process was gone (epoch ms). */
  cancelledAt?: number;
  treeGoneAt?: number;
  /** The claim ended with the finish (the mission moved on): there is nothing to hand back. */
  handedBack?: boolean;
};

export type RunnerEvent =
  | {
      type: 'run-started';
      agentId: string;
      runId: string;
      missionId: string;
      /** The process group of a process adapter's run; a session adapter's run has none. */
      pid?: number;
      /** Where a session adapter's turn runs (its gateway and session). */
      remote?: string;
      workFolder: string;
    }
  | { type: 'run-ended'; agentId: string; report: RunReport }
  | { type: 'error'; agentId: string | null; message: string };

export type ExecutionSettings = {
  workRoot: string;
  killGraceMs: number;
  onSuccess: BoardColumn | null;
  onFailure: BoardColumn | null;
  /** Where the mission goes as its run starts; left where it is without. */
  onStart?: BoardColumn | null;
  /** Reported on the run (METERED when left out). */
  billing?: RunBilling;
  cleanWorkFolders: boolean;
  /** The children's environment (the runner's, less the agents' keys). */
  env: NodeJS.ProcessEnv;
  emit: (event: RunnerEvent) => void;
};

const SUMMARY_CHARS = 2_000;

// A summary is text a person reads on the board, where the server refuses control characters:
// colours are taken out (the log keeps them), any other control or bidi character becomes a space.
// eslint-disable-next-line no-control-regex -- finding escape sequences is the point
const ANSI = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)|[@-Z\\-_])/g;
// eslint-disable-next-line no-control-regex -- as above
const FORBIDDEN = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Text fit for a run's summary: no escape sequences or control characters, ≤ 2,000 characters. */
export function summaryText(text: string): string {
  const plain = text.replace(/\r\n?/g, '\n').replace(ANSI, '').replace(FORBIDDEN, ' ').trim();
  return plain.length > SUMMARY_CHARS ? `${plain.slice(0, SUMMARY_CHARS - 1)}…` : plain;
}
const clip = summaryText;
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Every line of a stream, as it comes; resolves when the stream ended. */
async function eachLine(
  stream: NodeJS.ReadableStream,
  onLine: (text: string) => void,
): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', onLine);
  await once(lines, 'close');
}

/**
 * One run of a claimed mission: its working folder, the adapter's process in a group of its own,
 * the output read into the run's log and usage, a cancel obeyed by stopping the whole tree, and
 * the outcome reported. `shutdown` hands the mission back instead.
 */
export async function executeRun(
  session: AgentSession,
  adapter: AgentAdapter,
  mission: ClaimedMission,
  settings: ExecutionSettings,
  shutdown: AbortSignal,
): Promise<RunReport> {
  const agentId = session.agent.id;
  let run: RunHandle;
  try {
    run = await session.startRun(
      mission,
      settings.billing ? { ...adapter.run, billing: settings.billing } : adapter.run,
    );
  } catch (error) {
    // No run, yet the mission is held (and its lease renewed): hand it back for another try.
    await session.release(mission.id).catch(() => undefined);
    throw error;
  }
  const report: RunReport = {
    runId: run.id,
    missionId: mission.id,
    outcome: 'FAILED',
    summary: '',
  };
  let folder: string | null = null;
  if (settings.onStart && settings.onStart !== mission.column) {
    // The board shows the work under way; a refused move is not worth failing the run for.
    await session.client
      .moveMission(session.workspaceId, mission.id, settings.onStart)
      .catch((error: unknown) =>
        settings.emit({
          type: 'error',
          agentId,
          message: `moving ${mission.id}: ${message(error)}`,
        }),
      );
  }
  try {
    const work = await prepareWorkFolder(
      settings.workRoot,
      run.id,
      mission,
      adapter.promptTemplate,
    );
    folder = work.path;
    const brief: MissionBrief = { ...work.fields, prompt: work.prompt };
    const begin = isSessionAdapter(adapter)
      ? (handle: (events: AdapterEvent[]) => void): Execution => {
          const remote = adapter.describe(brief);
          run.log('system', `→ ${remote}`);
          settings.emit({
            type: 'run-started',
            agentId,
            runId: run.id,
            missionId: mission.id,
            remote,
            workFolder: work.path,
          });
          const turn = adapter.start(brief, handle);
          return {
            ended: turn.ended.then((outcome) => ({ outcome, how: null })),
            stop: () => turn.stop(),
          };
        }
      : startProcess(adapter, brief, work, mission.id, run, settings, agentId);
    const next = await supervise(run, adapter, begin, settings, shutdown, report);
    if (next === 'finish') {
      await finish(session, run, report, settings);
    }
    // A run a person cancelled goes where failures go, so nobody takes it up again at once.
    const parkIn = next === 'park' ? settings.onFailure : null;
    if (parkIn) {
      await session.client
        .moveMission(session.workspaceId, mission.id, parkIn)
        .catch((error: unknown) =>
          settings.emit({
            type: 'error',
            agentId,
            message: `moving ${mission.id}: ${message(error)}`,
          }),
        );
    }
    // This runner is done with the mission: its claim ends (work in progress goes back to To do,
    // a mission moved on stays where it is), or heartbeats would keep it held. A cancelled run
    // with nowhere configured for failures stays held, as the configuration asks.
    if ((next === 'finish' && !report.handedBack) || next === 'release' || parkIn) {
      await session.release(mission.id).catch((error: unknown) => {
        settings.emit({
          type: 'error',
          agentId,
          message: `handing back ${mission.id}: ${message(error)}`,
        });
      });
    }
    return report;
  } catch (error) {
    // The folder or the process could not be made: the run fails, saying why.
    report.outcome = 'FAILED';
    report.summary = clip(`The runner could not run ${adapter.name}: ${message(error)}`);
    run.log('system', report.summary);
    return await finish(session, run, report, settings);
  } finally {
    if (folder && settings.cleanWorkFolders) {
      await removeWorkFolder(folder).catch(() => undefined);
    }
  }
}

/** What a run executes, a process or a remote turn, as the run loop sees it. */
type Execution = {
  /** How the adapter's work ended, and a line for the log saying how the process did (if any). */
  ended: Promise<{ outcome: AdapterOutcome; how: string | null }>;
  /** Stops it early: the process tree, or the remote turn (aborted there too). */
  stop(): Promise<void>;
};

/** The adapter's process in a group of its own, its output read line by line by the parser. */
function startProcess(
  adapter: ProcessAdapter,
  brief: MissionBrief,
  work: { path: string; missionFile: string },
  missionId: string,
  run: RunHandle,
  settings: ExecutionSettings,
  agentId: string,
): (handle: (events: AdapterEvent[]) => void) => Execution {
  return (handle) => {
    const command = adapter.command(brief);
    const tree = new ProcessTree(command.command, command.args, {
      cwd: work.path,
      env: {
        ...settings.env,
        ...command.env,
        MC_MISSION_ID: missionId,
        MC_RUN_ID: run.id,
        MC_WORK_FOLDER: work.path,
        MC_MISSION_FILE: work.missionFile,
      },
    });
    if (command.stdin !== undefined) {
      tree.child.stdin.end(command.stdin);
    } else {
      tree.child.stdin.end();
    }
    run.log(
      'system',
      // The prompt is in MISSION.md already: the command line shows where it goes, not all of it.
      `$ ${[command.command, ...command.args.map((arg) => (arg === brief.prompt ? '<prompt>' : arg))].join(' ')}${command.stdin !== undefined ? ' < <prompt>' : ''} (in ${work.path})`,
    );
    settings.emit({
      type: 'run-started',
      agentId,
      runId: run.id,
      missionId,
      pid: tree.pgid,
      workFolder: work.path,
    });
    const parser = adapter.parser();
    const read = (stream: OutputStream) => (text: string) => handle(parser.line(stream, text));
    return {
      ended: Promise.all([
        tree.exited,
        eachLine(tree.child.stdout, read('stdout')),
        eachLine(tree.child.stderr, read('stderr')),
      ]).then(([exit]) => ({ outcome: parser.end(exit), how: describeExit(exit) })),
      stop: () => tree.stop(settings.killGraceMs),
    };
  };
}

/**
 * The run loop, the same for every adapter: events become the run's log, usage and progress; a
 * cancel, the runner stopping or unreadable output stop the execution; then the outcome.
 */
async function supervise(
  run: RunHandle,
  adapter: AgentAdapter,
  begin: (handle: (events: AdapterEvent[]) => void) => Execution,
  settings: ExecutionSettings,
  shutdown: AbortSignal,
  report: RunReport,
): Promise<'finish' | 'release' | 'park' | 'none'> {
  let invalid: string | null = null;
  let usage: Promise<unknown> = Promise.resolve();
  let stoppedFor: 'cancel' | 'shutdown' | 'invalid' | null = null;
  let stopped: Promise<void> = Promise.resolve();
  let execution: Execution | null = null;

  const stopExecution = (reason: 'cancel' | 'shutdown' | 'invalid') => {
    if (stoppedFor === null && execution !== null) {
      stoppedFor = reason;
      stopped = execution.stop().then(() => {
        report.treeGoneAt = Date.now();
      });
    }
  };
  const onCancel = () => {
    report.cancelledAt ??= Date.now();
    stopExecution('cancel');
  };
  const onShutdown = () => stopExecution('shutdown');

  const handle = (events: AdapterEvent[]) => {
    for (const event of events) {
      // What follows unreadable output is not read: the execution is being stopped.
      if (invalid !== null) {
        return;
      }
      switch (event.type) {
        case 'log':
          run.log(event.stream, event.text);
          break;
        case 'usage': {
          const spent = event.usage;
          // In order, one after another: each is a write of its own to the run.
          // The lines that led to the spend are sent first: a budget stop it causes drops unsent ones.
          usage = usage.then(() =>
            run
              .flush()
              .catch(() => undefined)
              .then(() => run.reportUsage(spent))
              .catch((error: unknown) => {
                settings.emit({
                  type: 'error',
                  agentId: null,
                  message: `usage of run ${run.id}: ${message(error)}`,
                });
              }),
          );
          break;
        }
        case 'progress':
          // Shown on the board; a refused note is not worth failing the run for.
          run
            .progress(summaryText(event.note).replace(/\s+/g, ' ').slice(0, 500), event.percent)
            .catch((error: unknown) => {
              settings.emit({
                type: 'error',
                agentId: null,
                message: `progress of run ${run.id}: ${message(error)}`,
              });
            });
          break;
        case 'result':
          break;
        case 'invalid':
          if (invalid === null) {
            invalid = event.error;
            run.log('system', `parse error: ${event.error}`);
            stopExecution('invalid');
          }
          break;
      }
    }
  };
  execution = begin(handle);
  run.signal.addEventListener('abort', onCancel, { once: true });
  shutdown.addEventListener('abort', onShutdown, { once: true });
  if (run.signal.aborted) {
    onCancel();
  } else if (shutdown.aborted) {
    onShutdown();
  } else if (invalid !== null) {
    stopExecution('invalid');
  }
  const { outcome, how } = await execution.ended;
  await stopped;
  run.signal.removeEventListener('abort', onCancel);
  shutdown.removeEventListener('abort', onShutdown);
  await usage;

  if (run.signal.aborted) {
    // The server ended it: nothing to finish. A budget's stop or a time-out leaves the mission
    // to another agent; a person's cancel parks it; a claim lost already has nothing to give back.
    const reason: unknown = run.signal.reason;
    report.outcome = readOutcome(reason);
    report.summary = message(reason);
    const ended = endedOf(reason);
    if (ended === null) {
      return 'none';
    }
    return ended.budgetId || ended.outcome === 'TIMED_OUT' ? 'release' : 'park';
  }
  if (stoppedFor === 'shutdown') {
    run.log('system', 'The runner is stopping: the mission is handed back.');
    await run.flush().catch(() => undefined);
    report.outcome = 'ABANDONED';
    report.summary = 'handed back: the runner stopped';
    return 'release';
  }
  if (invalid !== null) {
    report.outcome = 'FAILED';
    report.summary = clip(`${adapter.name} output could not be read: ${invalid as string}`);
  } else {
    report.outcome = outcome.outcome;
    report.summary = clip(outcome.summary);
    if (how !== null) {
      run.log('system', how);
    }
  }
  return 'finish';
}

function describeExit(exit: ProcessExit): string {
  if (exit.error) {
    return `could not start: ${exit.error}`;
  }
  return exit.code === null ? `killed by ${exit.signal ?? 'a signal'}` : `exit code ${exit.code}`;
}

/** How the server ended the run, when that is why its signal aborted (a RunEndedError). */
function endedOf(reason: unknown): Partial<RunEndedError['ended']> | null {
  return reason && typeof reason === 'object' && 'ended' in reason
    ? ((reason as { ended?: Partial<RunEndedError['ended']> }).ended ?? {})
    : null;
}

function readOutcome(reason: unknown): RunOutcome {
  const ended = endedOf(reason);
  return ended === null ? 'ABANDONED' : (ended.outcome ?? 'CANCELLED');
}

/** Reports the outcome, then moves the mission as configured; a run ended meanwhile is left so. */
export async function finish(
  session: AgentSession,
  run: RunHandle,
  report: RunReport,
  settings: ExecutionSettings,
): Promise<RunReport> {
  const moveTo = report.outcome === 'SUCCEEDED' ? settings.onSuccess : settings.onFailure;
  try {
    await run.finish(report.outcome, { summary: report.summary, ...(moveTo ? { moveTo } : {}) });
    report.handedBack = Boolean(moveTo);
  } catch (error) {
    if (run.signal.aborted) {
      report.outcome = readOutcome(run.signal.reason);
      report.summary = message(run.signal.reason);
    } else if (!isMissionControlError(error)) {
      throw error;
    } else {
      settings.emit({
        type: 'error',
        agentId: session.agent.id,
        message: `finishing run ${run.id}: ${error.message}`,
      });
    }
  }
  return report;
}
