import {
  assertNever,
  byUrgency,
  isOpen,
  isWorkable,
  type BoardMission,
  type BudgetView,
  type RosterAgent,
} from './demo-board.model';
import { pick, reopenNote, reviewComment, type MissionTemplate } from './demo-squad.catalog';

/**
 * The demo user as a pure decider: a mission commander who hands out backlog work to idle agents,
 * keeps a few missions ready in TODO (for any agent to take), reviews what the agents' runs finished (merging it to DONE, or now
 * and then asking its agent for a change) and adds new missions now and then, within a cap on open
 * missions. Agents a budget stopped get no work; the demo's own budget is resumed a while after it
 * stopped them.
 */

export type CommanderLimits = {
  /** Open (not DONE) missions the commander lets the board hold. */
  maxOpen: number;
  /** Unassigned TODO missions it keeps ready for agents. */
  readyTodo: number;
  /** It adds work while fewer than this many missions wait (unassigned, BACKLOG or TODO). */
  queueTarget: number;
  /** The least time between two missions it adds. */
  createEveryMs: number;
  /** How long the demo's budget stays stopped before the commander resumes it. */
  resumeBudgetAfterMs: number;
  /** How long a mission waits in REVIEW before the commander reviews it. */
  reviewAfterMs: number;
  /** Share of first reviews that ask the agent for a change rather than merge. */
  changesShare: number;
};

export const defaultCommanderLimits = (paceMs: number): CommanderLimits => ({
  maxOpen: 12,
  readyTodo: 2,
  queueTarget: 6,
  createEveryMs: paceMs * 3,
  // 3 min at the default pace.
  resumeBudgetAfterMs: paceMs * 45,
  reviewAfterMs: paceMs * 3,
  changesShare: 0.25,
});

export type CommanderState = {
  lastAddedAt: number | null;
  /** Since when each budget has been seen EXCEEDED, by id. */
  exceededSince: Readonly<Record<string, number>>;
  /** Missions it asked a change of: the next review of each merges it. */
  changesAsked: readonly string[];
};

export const initialCommanderState: CommanderState = {
  lastAddedAt: null,
  exceededSince: {},
  changesAsked: [],
};

/** The newest run of a mission, as the commander sees it when it reviews. */
export type RecentRun = { missionId: string; agentId: string; status: string };

export type CommanderView = {
  now: number;
  board: readonly BoardMission[];
  /** The squad's agents as the roster shows them now. */
  squad: readonly RosterAgent[];
  /** Every mission the demo may add, by unique title. */
  templates: readonly MissionTemplate[];
  /** The workspace's budgets. */
  budgets: readonly BudgetView[];
  /** Budgets the demo set, which it may resume; people's own are left as they set them. */
  demoBudgetIds: readonly string[];
  /** The workspace's latest runs, newest first. */
  recentRuns: readonly RecentRun[];
};

export type CommanderAction =
  | { type: 'ResumeBudget'; budgetId: string }
  | { type: 'AssignMission'; missionId: string; agentId: string }
  | { type: 'TriageMission'; missionId: string }
  | { type: 'AddMission'; template: MissionTemplate }
  | { type: 'ReopenMission'; missionId: string; note: string }
  /** Merges a finished mission (to DONE), or hands it back to its agent (to TODO) with a change. */
  | {
      type: 'ReviewMission';
      missionId: string;
      verdict: 'approve' | 'changes';
      /** The agent whose run finished it, who gets it back for a change. */
      agentId: string | null;
      comment: string;
    }
  | { type: 'Wait' };

const isOnline = (agent: RosterAgent): boolean =>
  agent.status === 'IDLE' || agent.status === 'BUSY';

const waiting = (mission: BoardMission): boolean =>
  mission.assigneeAgentId === null && (mission.column === 'BACKLOG' || mission.column === 'TODO');

/**
 * Cards left in progress with no one on them (a person moved them there). Cards in REVIEW are the
 * runner's finished work waiting for the commander's review, not for an agent.
 */
const orphaned = (mission: BoardMission): boolean =>
  mission.assigneeAgentId === null && mission.column === 'IN_PROGRESS';

/** Whether a budget in force stops `agent`: its own, or the workspace's. */
const stoppedByBudget = (agent: RosterAgent, budgets: readonly BudgetView[]): boolean =>
  budgets.some(
    (budget) =>
      budget.standing === 'EXCEEDED' && (budget.agentId === null || budget.agentId === agent.id),
  );

/** Notes when each budget was first seen EXCEEDED, and forgets those no longer so. */
export function reconcileCommander(
  state: CommanderState,
  budgets: readonly BudgetView[],
  now: number,
): CommanderState {
  const exceededSince: Record<string, number> = {};
  for (const budget of budgets) {
    if (budget.standing === 'EXCEEDED') {
      exceededSince[budget.id] = state.exceededSince[budget.id] ?? now;
    }
  }
  return { ...state, exceededSince };
}

const overlap = (agent: RosterAgent, mission: BoardMission): number =>
  mission.tags.filter((tag) => agent.capabilities.includes(tag)).length;

/** The free agent best suited to `mission`; ties are broken at random so work spreads out. */
function bestAgent(
  free: readonly RosterAgent[],
  mission: BoardMission,
  random: () => number,
): RosterAgent {
  const best = Math.max(...free.map((agent) => overlap(agent, mission)));
  return pick(
    free.filter((agent) => overlap(agent, mission) === best),
    random(),
  );
}

/** Call `reconcileCommander` first with the same budgets. */
export function decideCommander(
  state: CommanderState,
  view: CommanderView,
  limits: CommanderLimits,
  random: () => number,
): CommanderAction {
  const { board, squad, now, budgets } = view;

  // The demo keeps going: its own budget is resumed once it has stood stopped for a while.
  const due = view.demoBudgetIds.find((budgetId) => {
    const since = state.exceededSince[budgetId];
    return since !== undefined && now - since >= limits.resumeBudgetAfterMs;
  });
  if (due) {
    return { type: 'ResumeBudget', budgetId: due };
  }

  // An online agent with nothing workable assigned, and no budget stopping it, gets the most
  // urgent mission left part-way, else the most urgent one of the backlog.
  const busy = new Set(board.filter(isWorkable).map((mission) => mission.assigneeAgentId));
  const free = squad.filter(
    (agent) => isOnline(agent) && !busy.has(agent.id) && !stoppedByBudget(agent, budgets),
  );
  const left = byUrgency(board.filter(orphaned))[0];
  if (free.length > 0 && left) {
    return { type: 'AssignMission', missionId: left.id, agentId: bestAgent(free, left, random).id };
  }
  // Unassigned missions in To do are the queue agents take work from by themselves: one of them
  // assigned now might be one an agent is claiming, whose claim the assignment would end. The
  // commander hands out work from the backlog instead, to the agent whose capabilities fit it.
  const ready = board.filter(
    (mission) => mission.column === 'TODO' && mission.assigneeAgentId === null,
  );
  const backlog = byUrgency(
    board.filter((mission) => mission.column === 'BACKLOG' && mission.assigneeAgentId === null),
  );
  const next = backlog[0];
  if (free.length > 0 && next) {
    return { type: 'AssignMission', missionId: next.id, agentId: bestAgent(free, next, random).id };
  }

  const review = reviewDue(state, view, limits, random);
  if (review) {
    return review;
  }

  if (ready.length < limits.readyTodo && next) {
    return { type: 'TriageMission', missionId: next.id };
  }

  const open = board.filter(isOpen).length;
  const queued = board.filter(waiting).length;
  const rested = state.lastAddedAt === null || now - state.lastAddedAt >= limits.createEveryMs;
  if (open >= limits.maxOpen || queued >= limits.queueTarget || !rested) {
    return { type: 'Wait' };
  }
  const onBoard = new Set(board.map((mission) => mission.title));
  const unused = view.templates.filter((template) => !onBoard.has(template.title));
  if (unused.length > 0) {
    return { type: 'AddMission', template: pick(unused, random()) };
  }
  // Every title is on the board: bring back the mission finished longest ago, not a new one.
  const oldestDone = board
    .filter((mission) => mission.column === 'DONE')
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt))[0];
  return oldestDone
    ? { type: 'ReopenMission', missionId: oldestDone.id, note: reopenNote(random()) }
    : { type: 'Wait' };
}

/** The review of the mission waiting longest in REVIEW, once it has waited `reviewAfterMs`. */
function reviewDue(
  state: CommanderState,
  view: CommanderView,
  limits: CommanderLimits,
  random: () => number,
): CommanderAction | null {
  const waiting = view.board
    .filter(
      (mission) =>
        mission.column === 'REVIEW' &&
        mission.claimedBy === null &&
        view.now - Date.parse(mission.updatedAt) >= limits.reviewAfterMs,
    )
    .sort((a, b) => Date.parse(a.updatedAt) - Date.parse(b.updatedAt))[0];
  if (!waiting) {
    return null;
  }
  const run = view.recentRuns.find((candidate) => candidate.missionId === waiting.id);
  const agent = run ? view.squad.find((member) => member.id === run.agentId) : undefined;
  const verdict =
    agent && !state.changesAsked.includes(waiting.id) && random() < limits.changesShare
      ? 'changes'
      : 'approve';
  return {
    type: 'ReviewMission',
    missionId: waiting.id,
    verdict,
    agentId: agent?.id ?? null,
    comment: reviewComment(agent?.name ?? null, verdict, random()),
  };
}

export function evolveCommander(
  state: CommanderState,
  action: CommanderAction,
  now: number,
): CommanderState {
  switch (action.type) {
    case 'AddMission':
    case 'ReopenMission':
      return { ...state, lastAddedAt: now };
    case 'ResumeBudget': {
      const { [action.budgetId]: _resumed, ...rest } = state.exceededSince;
      return { ...state, exceededSince: rest };
    }
    case 'ReviewMission':
      // Only the last few are worth remembering: the board holds a dozen open missions at most.
      return action.verdict === 'changes'
        ? { ...state, changesAsked: [...state.changesAsked, action.missionId].slice(-50) }
        : { ...state, changesAsked: state.changesAsked.filter((id) => id !== action.missionId) };
    case 'AssignMission':
    case 'TriageMission':
    case 'Wait':
      return state;
    default:
      return assertNever(action, 'commander action');
  }
}
