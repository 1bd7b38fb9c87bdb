import {
  assertNever,
  byUrgency,
  isWorkable,
  type BoardColumn,
  type BoardMission,
  type HeartbeatStatus,
} from './demo-board.model';
import { idleActivity, pick, progressNote, reviewRequest } from './demo-squad.catalog';

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
};

export const defaultAgentPacing = (paceMs: number): AgentPacing => ({
  paceMs,
  heartbeatEveryMs: 15_000,
  heartbeatMinGapMs: 12_000,
});

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
};

export type DemoAgentState = {
  agentId: string;
  work: AgentWork | null;
  lastHeartbeatAt: number | null;
  reportedStatus: HeartbeatStatus | null;
  /** Set after LIMIT_EXCEEDED: no heartbeat before then. */
  heartbeatBlockedUntil: number;
  finished: number;
};

export type AgentView = {
  now: number;
  board: readonly BoardMission[];
  /** Names of the other agents of the squad, who can be asked for a review. */
  teammates: readonly string[];
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
};

export type AgentAction =
  | { type: 'SendHeartbeat'; status: HeartbeatStatus; activity: string }
  | { type: 'ClaimMission'; missionId: string; plan: AgentPlan }
  | { type: 'MoveMission'; missionId: string; column: 'IN_PROGRESS' | 'REVIEW' | 'DONE' }
  | { type: 'PostProgress'; missionId: string; body: string }
  | { type: 'RequestReview'; missionId: string; body: string }
  | { type: 'Wait'; reason: 'no work' | 'working' | 'in review' };

/** Share of the planned time spent before asking for review; the rest is the review itself. */
const REVIEW_AT = 0.7;
const MAX_NOTES = 3;

export const initialAgentState = (agentId: string): DemoAgentState => ({
  agentId,
  work: null,
  lastHeartbeatAt: null,
  reportedStatus: null,
  heartbeatBlockedUntil: 0,
  finished: 0,
});

/**
 * Forgets a mission the board says is no longer this agent's to work on: reassigned, claim lost,
 * finished or parked by someone else, or gone.
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
  return stillMine ? state : { ...state, work: null };
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

function activityOf(work: AgentWork | null, board: readonly BoardMission[], roll: number): string {
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

function advance(
  work: AgentWork,
  mission: BoardMission,
  view: AgentView,
  random: () => number,
): AgentAction {
  const progress = (view.now - work.claimedAt) / work.durationMs;
  const missionId = work.missionId;
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
      if (progress >= REVIEW_AT) {
        return { type: 'MoveMission', missionId, column: 'REVIEW' };
      }
      return { type: 'Wait', reason: 'working' };
    }
    case 'REVIEW': {
      if (!work.reviewRequested) {
        const reviewer = view.teammates.length > 0 ? pick(view.teammates, random()) : null;
        return { type: 'RequestReview', missionId, body: reviewRequest(reviewer, random()) };
      }
      if (progress >= 1) {
        return { type: 'MoveMission', missionId, column: 'DONE' };
      }
      return { type: 'Wait', reason: 'in review' };
    }
    // Reconciling drops such missions before deciding; nothing to do with them.
    case 'DONE':
    case 'BLOCKED':
      return { type: 'Wait', reason: 'no work' };
    default:
      return assertNever(mission.column, 'column');
  }
}

/** What the agent does this tick. Call `reconcileAgent` first with the same board. */
export function decideAgent(
  state: DemoAgentState,
  view: AgentView,
  pacing: AgentPacing,
  random: () => number,
): AgentAction {
  const status: HeartbeatStatus = state.work ? 'BUSY' : 'IDLE';
  if (heartbeatDue(state, status, view.now, pacing)) {
    return {
      type: 'SendHeartbeat',
      status,
      activity: activityOf(state.work, view.board, random()),
    };
  }
  if (state.work) {
    const missionId = state.work.missionId;
    const mission = view.board.find((candidate) => candidate.id === missionId);
    return mission
      ? advance(state.work, mission, view, random)
      : { type: 'Wait', reason: 'no work' };
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
  return {
    type: 'ClaimMission',
    missionId: next.id,
    plan: {
      title: next.title,
      tags: next.tags,
      durationMs,
      notesPlanned: started ? 0 : notesPlanned,
      noteSeed: random(),
      reviewRequested: started && next.column === 'REVIEW',
    },
  };
}

/** The agent's memory after `action` succeeded at `now`. */
export function evolveAgent(
  state: DemoAgentState,
  action: AgentAction,
  now: number,
): DemoAgentState {
  switch (action.type) {
    case 'SendHeartbeat':
      return { ...state, lastHeartbeatAt: now, reportedStatus: action.status };
    case 'ClaimMission':
      return {
        ...state,
        work: {
          missionId: action.missionId,
          ...action.plan,
          claimedAt: now,
          notesPosted: 0,
        },
      };
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

/** After LIMIT_EXCEEDED on a heartbeat: wait as long as the server said (10 s if it did not). */
export const deferHeartbeat = (
  state: DemoAgentState,
  now: number,
  retryAfterSeconds: number | null,
): DemoAgentState => ({
  ...state,
  heartbeatBlockedUntil: now + (retryAfterSeconds ?? 10) * 1000,
});
