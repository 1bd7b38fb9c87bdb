import type { DemoApiRepository } from './demo-api.repository';
import {
  decideAgent,
  deferHeartbeat,
  evolveAgent,
  initialAgentState,
  reconcileAgent,
  type AgentAction,
  type AgentPacing,
  type DemoAgentState,
} from './demo-agent.decider';
import { AgentSessionStopped, type DemoAgentSession } from './demo-agent.session';
import { assertNever, type BoardMission } from './demo-board.model';
import type { DemoFailureLog } from './demo-failure.log';
import { hasCode } from './demo-graphql.client';

export type DemoAgentRunnerDeps = {
  api: DemoApiRepository;
  session: DemoAgentSession;
  workspaceId: string;
  agentId: string;
  name: string;
  teammates: readonly string[];
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
    case 'Wait':
      return 'wait';
    default:
      return assertNever(action, 'agent action');
  }
}

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
    const { api, session, workspaceId } = this.deps;
    let board: BoardMission[];
    try {
      board = await session.call((token) => api.board(workspaceId, token));
    } catch (error) {
      this.fail('read the board', error);
      return;
    }
    this.state = reconcileAgent(this.state, board);
    const now = this.now();
    const action = decideAgent(
      this.state,
      { now, board, teammates: this.deps.teammates },
      this.deps.pacing,
      this.deps.random,
    );
    try {
      await this.perform(action);
      this.state = evolveAgent(this.state, action, now);
    } catch (error) {
      if (action.type === 'SendHeartbeat' && hasCode(error, 'LIMIT_EXCEEDED')) {
        this.state = deferHeartbeat(this.state, now, error.retryAfterSeconds);
      }
      // Anything else is decided afresh from the next board read.
      this.fail(stepOf(action), error);
    }
  }

  private async perform(action: AgentAction): Promise<void> {
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
