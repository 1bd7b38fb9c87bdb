import {
  assertNever,
  byUrgency,
  isWorkable,
  type BoardColumn,
  type BoardMission,
  type HeartbeatStatus,
  type RunLogLine,
  type RunSetup,
  type RunUsage,
} from './demo-board.model';
import {
  budgetStopActivity,
  failedRunLog,
  failedRunSummary,
  finishedRunLog,
  finishedRunSummary,
  idleActivity,
  pick,
  progressNote,
  runProgressNote,
  reviewRequest,
  runLogChunk,
  runUsageStep,
} from './demo-squad.catalog';

/**
 * One simulated agent, as a pure decider: from what it remembers and the board it just read, the
 * one thing it does this tick. The runner performs the action and, only if it worked, evolves the
 * state with it, so a failed call is simply decided again on the next tick.
 */

export type AgentPacing = {
  /** Base tick; mission lengths scale with it. */
  paceMs: number;
  /** Heartbeats are rate limited per agent (6/min by default) and expected within 90 s. */
  heartbeatEveryMs: number;
  /** The soonest a status change may be reported after the previous heartbeat. */
  heartbeatMinGapMs: number;
  /** A run reports its tokens after this many chunks of log. */
  usageEvery: number;
  /** How long an agent stopped by a budget rests before trying again; doubled on each refusal. */
  budgetRetryMs: number;
  budgetRetryMaxMs: number;
};

export const defaultAgentPacing = (paceMs: number): AgentPacing => ({
  paceMs,
  heartbeatEveryMs: 15_000,
  heartbeatMinGapMs: 12_000,
  usageEvery: 3,
  // 1 min, then 2, 4 and 8 at the default pace of 4 s, then every 10 min.
  budgetRetryMs: paceMs * 15,
  budgetRetryMaxMs: paceMs * 150,
});

/** The run the agent is writing to. */
export type AgentRun = {
  runId: string;
  /** Drawn when it started: picks its closing lines and summary. */
  seed: number;
  chunks: number;
  /** Log chunks since its last usage report. */
  unreported: number;
  /** This attempt ends FAILED, part-way through the work. */
  failing: boolean;
  /** Its last chunk is logged: what is left is to report and finish it. */
  closed: boolean;
};

/** The mission the agent is on, and how it intends to go about it. */
export type AgentWork = {
  missionId: string;
  title: string;
  tags: readonly string[];
  claimedAt: number;
  durationMs: number;
  notesPlanned: number;
  noteSeed: number;
  notesPosted: number;
  reviewRequested: boolean;
  run: AgentRun | null;
  runsStarted: number;
  /** Its first run fails and a second one does the work. */
  failFirstRun: boolean;
  /** A run of it finished SUCCEEDED: what is left is moving it to DONE. */
  succeeded: boolean;
};

/** A budget stopped the agent's work: it rests until `retryAt`, then tries a run again. */
export type BudgetStop = {
  /** The server's words: which budget, its limit, what an admin can do. */
  reason: string;
  since: number;
  retryAt: number;
  /** Runs refused since the stop; each doubles the rest. */
  refusals: number;
};

export type DemoAgentState = {
  agentId: string;
  work: AgentWork | null;
  lastHeartbeatAt: number | null;
  reportedStatus: HeartbeatStatus | null;
  /** Set after LIMIT_EXCEEDED: no heartbeat before then. */
  heartbeatBlockedUntil: number;
  finished: number;
  stop: BudgetStop | null;
};

export type AgentView = {
  now: number;
  board: readonly BoardMission[];
  /** Names of the other agents of the squad, who can be asked for a review. */
  teammates: readonly string[];
  /** What the agent's runs execute with. */
  setup: RunSetup;
};

export type AgentPlan = {
  title: string;
  tags: readonly string[];
  durationMs: number;
  notesPlanned: number;
  /** Drawn once, so the notes of one mission do not repeat each other. */
  noteSeed: number;
  /** True when taking back a mission already in review (e.g. after a restart). */
  reviewRequested: boolean;
  /** The run of it still going on under the agent's claim, carried on (after a restart). */
  runId: string | null;
  failFirstRun: boolean;
};

/** A run's progress note: where it stands, and how far along it is. */
export type RunProgress = { note: string; percent: number };

export type AgentAction =
  | { type: 'SendHeartbeat'; status: HeartbeatStatus; activity: string }
  | { type: 'ClaimMission'; missionId: string; plan: AgentPlan }
  | { type: 'MoveMission'; missionId: string; column: 'IN_PROGRESS' | 'REVIEW' | 'DONE' }
  | { type: 'PostProgress'; missionId: string; body: string }
  | { type: 'RequestReview'; missionId: string; body: string }
  | { type: 'StartRun'; missionId: string; setup: RunSetup; seed: number }
  | {
      type: 'AppendRunLog';
      runId: string;
      lines: readonly RunLogLine[];
      closing: boolean;
      /** What the run is at, said after the lines (every few chunks of a run under way). */
      progress: RunProgress | null;
    }
  | { type: 'ReportUsage'; runId: string; usage: RunUsage }
  | { type: 'FinishRun'; runId: string; outcome: 'SUCCEEDED' | 'FAILED'; summary: string }
  | { type: 'ReleaseMission'; missionId: string }
  | { type: 'Wait'; reason: 'no work' | 'working' | 'stopped by a budget' };

/** What the API answered that the agent's memory needs: the id of the run it started. */
export type AgentAnswer = { type: 'None' } | { type: 'RunStarted'; runId: string };

const NO_ANSWER: AgentAnswer = { type: 'None' };

/** Share of the planned time spent before asking for review; the rest is the review itself. */
const REVIEW_AT = 0.7;
/** Where a failing first run gives up. */
const FAIL_AT = 0.3;
/** One mission in eight has a first run that fails. */
const FAILING_SHARE = 0.125;
const MAX_NOTES = 3;
/** A run under way says how far along it is every this many chunks of log. */
const PROGRESS_EVERY = 3;

export const initialAgentState = (agentId: string): DemoAgentState => ({
  agentId,
  work: null,
  lastHeartbeatAt: null,
  reportedStatus: null,
  heartbeatBlockedUntil: 0,
  finished: 0,
  stop: null,
});

/**
 * Forgets a mission the board says is no longer this agent's to work on: reassigned, claim lost,
 * finished or parked by someone else, or gone; and a run that ended without the agent (cancelled
 * by a person or a budget), so the next run it starts says why.
 */
export function reconcileAgent(
  state: DemoAgentState,
  board: readonly BoardMission[],
): DemoAgentState {
  if (!state.work) {
    return state;
  }
  const missionId = state.work.missionId;
  const mission = board.find((candidate) => candidate.id === missionId);
  const stillMine =
    mission !== undefined &&
    mission.assigneeAgentId === state.agentId &&
    mission.claimedBy === state.agentId &&
    isWorkable(mission);
  if (!stillMine) {
    return { ...state, work: null };
  }
  const run = state.work.run;
  return run && mission.activeRunId !== run.runId ? forgetRun(state) : state;
}

// Work already started comes first, so an agent restarted mid-mission picks up where it was.
const STAGE: Record<BoardColumn, number> = {
  REVIEW: 0,
  IN_PROGRESS: 1,
  TODO: 2,
  BACKLOG: 3,
  BLOCKED: 4,
  DONE: 5,
};

/** The mission assigned to the agent it should turn to next, if any. */
export function nextAssignment(
  agentId: string,
  board: readonly BoardMission[],
): BoardMission | null {
  const mine = byUrgency(
    board.filter((mission) => mission.assigneeAgentId === agentId && isWorkable(mission)),
  );
  mine.sort(
    (a, b) =>
      Number(b.claimedBy === agentId) - Number(a.claimedBy === agentId) ||
      STAGE[a.column] - STAGE[b.column],
  );
  return mine[0] ?? null;
}

function activityOf(state: DemoAgentState, board: readonly BoardMission[], roll: number): string {
  const { work, stop } = state;
  if (stop) {
    return budgetStopActivity(stop.reason);
  }
  if (!work) {
    return idleActivity(roll);
  }
  const column = board.find((mission) => mission.id === work.missionId)?.column;
  switch (column) {
    case 'IN_PROGRESS':
      return `Working on “${work.title}”`;
    case 'REVIEW':
      return `Waiting for review on “${work.title}”`;
    default:
      return `Picking up “${work.title}”`;
  }
}

function heartbeatDue(
  state: DemoAgentState,
  status: HeartbeatStatus,
  now: number,
  pacing: AgentPacing,
): boolean {
  if (now < state.heartbeatBlockedUntil) {
    return false;
  }
  if (state.lastHeartbeatAt === null) {
    return true;
  }
  const since = now - state.lastHeartbeatAt;
  const changed = state.reportedStatus !== status;
  return since >= pacing.heartbeatEveryMs || (changed && since >= pacing.heartbeatMinGapMs);
}

/** When the next heartbeat is due, reporting `status`. */
function nextHeartbeatAt(state: DemoAgentState, status: HeartbeatStatus, pacing: AgentPacing) {
  if (state.lastHeartbeatAt === null) {
    return state.heartbeatBlockedUntil;
  }
  const gap = state.reportedStatus === status ? pacing.heartbeatEveryMs : pacing.heartbeatMinGapMs;
  return Math.max(state.heartbeatBlockedUntil, state.lastHeartbeatAt + gap);
}

const rolls3 = (random: () => number): [number, number, number] => [random(), random(), random()];

/** A step of a run under way: its tokens every few chunks, else a few more lines of log. */
function runStep(
  work: AgentWork,
  run: AgentRun,
  phase: 'work' | 'review',
  view: AgentView,
  pacing: AgentPacing,
  random: () => number,
): AgentAction {
  const done = Math.min(0.99, Math.max(0, (view.now - work.claimedAt) / work.durationMs));
  if (run.unreported >= pacing.usageEvery) {
    return {
      type: 'ReportUsage',
      runId: run.runId,
      usage: runUsageStep(view.setup.model, rolls3(random)),
    };
  }
  return {
    type: 'AppendRunLog',
    runId: run.runId,
    lines: runLogChunk(phase, work.tags, run.chunks, rolls3(random)),
    closing: false,
    progress:
      run.chunks % PROGRESS_EVERY === 0
        ? { note: runProgressNote(phase, done), percent: Math.round(done * 100) }
        : null,
  };
}

/** Ends a run: its last lines, the tokens not reported yet, then how it went. */
function closeRun(
  work: AgentWork,
  run: AgentRun,
  view: AgentView,
  random: () => number,
): AgentAction {
  const { runId, failing, seed } = run;
  if (!run.closed) {
    return {
      type: 'AppendRunLog',
      runId,
      lines: failing ? failedRunLog(work.tags, seed) : finishedRunLog(work.tags, seed),
      closing: true,
      progress: null,
    };
  }
  if (run.unreported > 0) {
    return {
      type: 'ReportUsage',
      runId,
      usage: runUsageStep(view.setup.model, rolls3(random)),
    };
  }
  return failing
    ? { type: 'FinishRun', runId, outcome: 'FAILED', summary: failedRunSummary(seed) }
    : {
        type: 'FinishRun',
        runId,
        outcome: 'SUCCEEDED',
        summary: finishedRunSummary(work.title, seed),
      };
}

function advance(
  work: AgentWork,
  mission: BoardMission,
  view: AgentView,
  pacing: AgentPacing,
  random: () => number,
): AgentAction {
  const progress = (view.now - work.claimedAt) / work.durationMs;
  const { missionId, run } = work;
  switch (mission.column) {
    case 'BACKLOG':
    case 'TODO':
      return { type: 'MoveMission', missionId, column: 'IN_PROGRESS' };
    case 'IN_PROGRESS': {
      // Notes are spread evenly over the time before review.
      const nextNoteAt = (REVIEW_AT * (work.notesPosted + 1)) / (work.notesPlanned + 1);
      if (work.notesPosted < work.notesPlanned && progress >= nextNoteAt) {
        return {
          type: 'PostProgress',
          missionId,
          body: progressNote(work.tags, work.notesPosted, work.noteSeed),
        };
      }
      if (run?.failing && progress >= FAIL_AT) {
        return closeRun(work, run, view, random);
      }
      if (progress >= REVIEW_AT) {
        return { type: 'MoveMission', missionId, column: 'REVIEW' };
      }
      return run
        ? runStep(work, run, 'work', view, pacing, random)
        : { type: 'Wait', reason: 'working' };
    }
    case 'REVIEW': {
      if (!work.reviewRequested) {
        const reviewer = view.teammates.length > 0 ? pick(view.teammates, random()) : null;
        return { type: 'RequestReview', missionId, body: reviewRequest(reviewer, random()) };
      }
      if (progress >= 1) {
        // The run ends SUCCEEDED, then the mission goes to DONE.
        return run
          ? closeRun(work, run, view, random)
          : { type: 'MoveMission', missionId, column: 'DONE' };
      }
      return run
        ? runStep(work, run, 'review', view, pacing, random)
        : { type: 'Wait', reason: 'working' };
    }
    // Reconciling drops such missions before deciding; nothing to do with them.
    case 'DONE':
    case 'BLOCKED':
      return { type: 'Wait', reason: 'no work' };
    default:
      return assertNever(mission.column, 'column');
  }
}

/**
 * Until when the agent has nothing to do and needs not even read the board: while a budget keeps
 * it stopped with no mission in hand, until its next heartbeat or its next try. 0: no rest.
 */
export function restingUntil(state: DemoAgentState, pacing: AgentPacing): number {
  if (!state.stop || state.work) {
    return 0;
  }
  return Math.min(state.stop.retryAt, nextHeartbeatAt(state, 'IDLE', pacing));
}

/** What the agent does this tick. Call `reconcileAgent` first with the same board. */
export function decideAgent(
  state: DemoAgentState,
  view: AgentView,
  pacing: AgentPacing,
  random: () => number,
): AgentAction {
  const { work, stop } = state;
  const status: HeartbeatStatus = work && !stop ? 'BUSY' : 'IDLE';
  if (heartbeatDue(state, status, view.now, pacing)) {
    return {
      type: 'SendHeartbeat',
      status,
      activity: activityOf(state, view.board, random()),
    };
  }
  const resting = stop !== null && view.now < stop.retryAt;
  if (work) {
    const missionId = work.missionId;
    const mission = view.board.find((candidate) => candidate.id === missionId);
    if (!mission) {
      return { type: 'Wait', reason: 'no work' };
    }
    // Stopped, it gives the mission back for another agent to finish.
    if (resting) {
      return { type: 'ReleaseMission', missionId };
    }
    if (work.run === null && !work.succeeded) {
      return { type: 'StartRun', missionId, setup: view.setup, seed: random() };
    }
    return advance(work, mission, view, pacing, random);
  }
  if (resting) {
    return { type: 'Wait', reason: 'stopped by a budget' };
  }
  const next = nextAssignment(state.agentId, view.board);
  if (!next) {
    return { type: 'Wait', reason: 'no work' };
  }
  // Taking back a started mission (after a restart), the agent finishes it without repeating
  // the notes and review request it already posted.
  const started =
    next.claimedBy === state.agentId && next.column !== 'TODO' && next.column !== 'BACKLOG';
  // 30–120 s at the default pace of 4 s.
  const durationMs = Math.round(pacing.paceMs * (7.5 + 22.5 * random()));
  const notesPlanned = 1 + Math.min(MAX_NOTES - 1, Math.floor(random() * MAX_NOTES));
  const noteSeed = random();
  const failing = random() < FAILING_SHARE;
  return {
    type: 'ClaimMission',
    missionId: next.id,
    plan: {
      title: next.title,
      tags: next.tags,
      durationMs,
      notesPlanned: started ? 0 : notesPlanned,
      noteSeed,
      reviewRequested: started && next.column === 'REVIEW',
      runId: next.claimedBy === state.agentId ? next.activeRunId : null,
      failFirstRun: !started && failing,
    },
  };
}

/** Whether `action` writes to a run (one such write a tick is enough). */
export const writesToRun = (action: AgentAction): boolean =>
  action.type === 'StartRun' ||
  action.type === 'AppendRunLog' ||
  action.type === 'ReportUsage' ||
  action.type === 'FinishRun';

/**
 * The run's own step in a tick whose action was about the mission (a heartbeat, a note, a move):
 * a working agent's log grows on every tick, whatever else it does. Call it with the state after
 * that action; null when there is no open run to write to, or closing it is due.
 */
export function decideRunStep(
  state: DemoAgentState,
  view: AgentView,
  pacing: AgentPacing,
  random: () => number,
): AgentAction | null {
  const { work } = state;
  const run = work?.run;
  if (!work || !run || run.closed || state.stop) {
    return null;
  }
  const mission = view.board.find((candidate) => candidate.id === work.missionId);
  const progress = (view.now - work.claimedAt) / work.durationMs;
  switch (mission?.column) {
    case 'IN_PROGRESS':
      return run.failing && progress >= FAIL_AT
        ? null
        : runStep(work, run, 'work', view, pacing, random);
    case 'REVIEW':
      return progress >= 1 ? null : runStep(work, run, 'review', view, pacing, random);
    default:
      return null;
  }
}

const newRun = (runId: string, seed: number, failing: boolean): AgentRun => ({
  runId,
  seed,
  chunks: 0,
  unreported: 0,
  failing,
  closed: false,
});

/** `update` applied to the run under way, if there is one. */
function withRun(state: DemoAgentState, update: (run: AgentRun) => AgentRun): DemoAgentState {
  const work = state.work;
  return work?.run ? { ...state, work: { ...work, run: update(work.run) } } : state;
}

/** The agent's memory after `action` succeeded at `now`, with what the API answered to it. */
export function evolveAgent(
  state: DemoAgentState,
  action: AgentAction,
  now: number,
  answer: AgentAnswer = NO_ANSWER,
): DemoAgentState {
  switch (action.type) {
    case 'SendHeartbeat':
      return { ...state, lastHeartbeatAt: now, reportedStatus: action.status };
    case 'ClaimMission': {
      const { runId, ...plan } = action.plan;
      return {
        ...state,
        work: {
          missionId: action.missionId,
          ...plan,
          claimedAt: now,
          notesPosted: 0,
          // A run carried on is not this plan's to fail.
          run: runId === null ? null : newRun(runId, plan.noteSeed, false),
          runsStarted: runId === null ? 0 : 1,
          succeeded: false,
        },
      };
    }
    case 'StartRun': {
      if (answer.type !== 'RunStarted') {
        throw new Error('A run started is remembered with its id');
      }
      const work = state.work;
      if (!work) {
        return state;
      }
      const failing = work.failFirstRun && work.runsStarted === 0;
      return {
        ...state,
        // A run the budget let start ends the stop.
        stop: null,
        work: {
          ...work,
          run: newRun(answer.runId, action.seed, failing),
          runsStarted: work.runsStarted + 1,
        },
      };
    }
    case 'AppendRunLog':
      return withRun(state, (run) => ({
        ...run,
        chunks: run.chunks + 1,
        unreported: run.unreported + 1,
        closed: run.closed || action.closing,
      }));
    case 'ReportUsage':
      return withRun(state, (run) => ({ ...run, unreported: 0 }));
    case 'FinishRun':
      return state.work
        ? {
            ...state,
            work: {
              ...state.work,
              run: null,
              succeeded: state.work.succeeded || action.outcome === 'SUCCEEDED',
            },
          }
        : state;
    case 'ReleaseMission':
      return { ...state, work: null };
    case 'MoveMission':
      return action.column === 'DONE'
        ? { ...state, work: null, finished: state.finished + 1 }
        : state;
    case 'PostProgress':
      return state.work
        ? { ...state, work: { ...state.work, notesPosted: state.work.notesPosted + 1 } }
        : state;
    case 'RequestReview':
      return state.work ? { ...state, work: { ...state.work, reviewRequested: true } } : state;
    case 'Wait':
      return state;
    default:
      return assertNever(action, 'agent action');
  }
}

/** The run ended without the agent (cancelled, or its claim ended): it writes no more to it. */
export const forgetRun = (state: DemoAgentState): DemoAgentState =>
  state.work?.run ? { ...state, work: { ...state.work, run: null } } : state;

/**
 * A budget stopped the agent (its run was cancelled at the limit, or a run or claim was refused):
 * it drops the run, rests, and tries again later, resting twice as long after each refusal.
 */
export function stopByBudget(
  state: DemoAgentState,
  reason: string,
  now: number,
  pacing: AgentPacing,
): DemoAgentState {
  const refusals = state.stop ? state.stop.refusals + 1 : 0;
  const rest = Math.min(pacing.budgetRetryMaxMs, pacing.budgetRetryMs * 2 ** refusals);
  return {
    ...forgetRun(state),
    stop: { reason, since: state.stop?.since ?? now, retryAt: now + rest, refusals },
  };
}

/** After LIMIT_EXCEEDED on a heartbeat: wait as long as the server said (10 s if it did not). */
export const deferHeartbeat = (
  state: DemoAgentState,
  now: number,
  retryAfterSeconds: number | null,
): DemoAgentState => ({
  ...state,
  heartbeatBlockedUntil: now + (retryAfterSeconds ?? 10) * 1000,
});
