import type { DemoApiRepository } from './demo-api.repository';
import {
  decideAgent,
  decideRunStep,
  deferHeartbeat,
  evolveAgent,
  forgetRun,
  initialAgentState,
  reconcileAgent,
  restingUntil,
  stopByBudget,
  type AgentAction,
  type AgentAnswer,
  type AgentPacing,
  type AgentView,
  type DemoAgentState,
  writesToRun,
} from './demo-agent.decider';
import { AgentSessionStopped, type DemoAgentSession } from './demo-agent.session';
import { assertNever, type BoardMission, type RunSetup } from './demo-board.model';
import type { DemoFailureLog } from './demo-failure.log';
import { hasCode } from './demo-graphql.client';

export type DemoAgentRunnerDeps = {
  api: DemoApiRepository;
  session: DemoAgentSession;
  workspaceId: string;
  agentId: string;
  name: string;
  teammates: readonly string[];
  /** What its runs execute with. */
  setup: RunSetup;
  pacing: AgentPacing;
  random: () => number;
  failures: DemoFailureLog;
  now?: () => number;
};

/** What a failed action was, for the log. */
function stepOf(action: AgentAction): string {
  switch (action.type) {
    case 'SendHeartbeat':
      return 'send a heartbeat';
    case 'ClaimMission':
      return 'claim a mission';
    case 'MoveMission':
      return `move a mission to ${action.column}`;
    case 'PostProgress':
    case 'RequestReview':
      return 'comment on a mission';
    case 'StartRun':
      return 'start a run';
    case 'AppendRunLog':
      return 'log to its run';
    case 'ReportUsage':
      return 'report its tokens';
    case 'FinishRun':
      return 'finish its run';
    case 'ReleaseMission':
      return 'give a mission back';
    case 'Wait':
      return 'wait';
    default:
      return assertNever(action, 'agent action');
  }
}

const NONE: AgentAnswer = { type: 'None' };

/** One agent's tick: read the board as the agent, decide, act with its own token. */
export class DemoAgentRunner {
  private state: DemoAgentState;
  private readonly now: () => number;
  private readonly who: string;

  constructor(private readonly deps: DemoAgentRunnerDeps) {
    this.state = initialAgentState(deps.agentId);
    this.now = deps.now ?? Date.now;
    this.who = `agent ${deps.name}`;
  }

  get snapshot(): DemoAgentState {
    return this.state;
  }

  async tick(): Promise<void> {
    const { api, session, workspaceId, pacing } = this.deps;
    // Stopped by a budget, it does not even look at the board until it has something to do.
    if (this.now() < restingUntil(this.state, pacing)) {
      return;
    }
    let board: BoardMission[];
    try {
      board = await session.call((token) => api.board(workspaceId, token));
    } catch (error) {
      this.fail('read the board', error);
      return;
    }
    this.state = reconcileAgent(this.state, board);
    const now = this.now();
    const view: AgentView = {
      now,
      board,
      teammates: this.deps.teammates,
      setup: this.deps.setup,
    };
    const action = decideAgent(this.state, view, pacing, this.deps.random);
    if (!(await this.act(action, now)) || writesToRun(action)) {
      return;
    }
    // Whatever else it did, a working agent's log grows.
    const step = decideRunStep(this.state, view, pacing, this.deps.random);
    if (step) {
      await this.act(step, now);
    }
  }

  /** Performs `action`; whether it worked. A refusal that says something is remembered. */
  private async act(action: AgentAction, now: number): Promise<boolean> {
    const { pacing } = this.deps;
    try {
      await this.perform(action, now);
      return true;
    } catch (error) {
      if (hasCode(error, 'LIMIT_EXCEEDED')) {
        if (action.type === 'SendHeartbeat') {
          this.state = deferHeartbeat(this.state, now, error.retryAfterSeconds);
        } else if (action.type === 'StartRun' || action.type === 'ClaimMission') {
          // A budget refuses new work; its message names it and says what an admin can do.
          this.state = stopByBudget(this.state, error.reason, now, pacing);
          return false;
        }
      } else if (action.type !== 'StartRun' && writesToRun(action) && hasCode(error, 'CONFLICT')) {
        // The run ended without the agent; starting the next one tells whether a budget did it.
        this.state = forgetRun(this.state);
        return false;
      }
      // Anything else is decided afresh from the next board read.
      this.fail(stepOf(action), error);
      return false;
    }
  }

  /** Performs `action` and remembers it, with what the API answered. */
  private async perform(action: AgentAction, now: number): Promise<void> {
    const { api, session, workspaceId } = this.deps;
    if (action.type === 'StartRun') {
      const runId = await session.call((token) =>
        api.startRun(workspaceId, action.missionId, action.setup, token),
      );
      this.state = evolveAgent(this.state, action, now, { type: 'RunStarted', runId });
      return;
    }
    if (action.type === 'ReportUsage') {
      const run = await session.call((token) =>
        api.reportRunUsage(workspaceId, action.runId, action.usage, token),
      );
      this.state = evolveAgent(this.state, action, now);
      if (run.status !== 'RUNNING') {
        this.state = forgetRun(this.state);
      }
      if (run.status === 'CANCELLED' && run.budgetId !== null) {
        this.state = stopByBudget(this.state, run.summary, now, this.deps.pacing);
      }
      return;
    }
    await this.call(action);
    this.state = evolveAgent(this.state, action, now, NONE);
  }

  private async call(action: AgentAction): Promise<void> {
    const { api, session, workspaceId } = this.deps;
    switch (action.type) {
      case 'SendHeartbeat':
        return session.call((token) => api.heartbeat(action.status, action.activity, token));
      case 'ClaimMission':
        return session.call((token) => api.claimMission(workspaceId, action.missionId, token));
      case 'MoveMission':
        return session.call((token) =>
          api.moveMission(workspaceId, action.missionId, action.column, token),
        );
      case 'PostProgress':
      case 'RequestReview':
        return session.call((token) =>
          api.addComment(workspaceId, action.missionId, action.body, token),
        );
      case 'AppendRunLog': {
        await session.call((token) =>
          api.appendRunLog(workspaceId, action.runId, action.lines, token),
        );
        // Its own call: a token renewed in between must not send the lines twice.
        const { progress } = action;
        if (progress) {
          await session.call((token) =>
            api.noteRunProgress(workspaceId, action.runId, progress, token),
          );
        }
        return;
      }
      case 'FinishRun':
        return session.call((token) =>
          api.finishRun(workspaceId, action.runId, action.outcome, action.summary, token),
        );
      case 'ReleaseMission':
        return session.call((token) => api.releaseMission(workspaceId, action.missionId, token));
      // Performed with their answers, above.
      case 'StartRun':
      case 'ReportUsage':
        throw new Error(`${action.type} is performed with its answer`);
      case 'Wait':
        return;
      default:
        return assertNever(action, 'agent action');
    }
  }

  private fail(step: string, error: unknown): void {
    if (error instanceof AgentSessionStopped) {
      return;
    }
    this.deps.failures.report(this.who, step, error);
  }
}
