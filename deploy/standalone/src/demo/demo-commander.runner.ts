import type { DemoApiRepository } from './demo-api.repository';
import { assertNever } from './demo-board.model';
import {
  decideCommander,
  evolveCommander,
  initialCommanderState,
  reconcileCommander,
  type CommanderAction,
  type CommanderLimits,
  type CommanderState,
} from './demo-commander.decider';
import type { DemoFailureLog } from './demo-failure.log';
import type { DemoPersonSession } from './demo-person.session';
import type { MissionTemplate } from './demo-squad.catalog';

export type DemoCommanderRunnerDeps = {
  api: DemoApiRepository;
  person: DemoPersonSession;
  workspaceId: string;
  /** Ids of the squad's agents: the commander hands work to these only. */
  squadIds: readonly string[];
  templates: readonly MissionTemplate[];
  /** Budgets the demo set, which the commander resumes a while after they stop an agent. */
  demoBudgetIds: readonly string[];
  limits: CommanderLimits;
  random: () => number;
  failures: DemoFailureLog;
  now?: () => number;
};

function stepOf(action: CommanderAction): string {
  switch (action.type) {
    case 'AssignMission':
      return 'assign a mission';
    case 'TriageMission':
      return 'move a mission to TODO';
    case 'AddMission':
      return 'create a mission';
    case 'ReopenMission':
      return 'reopen a mission';
    case 'ResumeBudget':
      return 'resume a budget';
    case 'ReviewMission':
      return 'review a mission';
    case 'Wait':
      return 'wait';
    default:
      return assertNever(action, 'commander action');
  }
}

/** The demo user's tick: look at the board and the roster, then make at most one change. */
export class DemoCommanderRunner {
  private state: CommanderState = initialCommanderState;
  private readonly now: () => number;

  constructor(private readonly deps: DemoCommanderRunnerDeps) {
    this.now = deps.now ?? Date.now;
  }

  async tick(): Promise<void> {
    const { api, person, workspaceId, failures } = this.deps;
    let seen: Awaited<ReturnType<DemoApiRepository['boardAndAgents']>>;
    try {
      seen = await person.call((token) => api.boardAndAgents(workspaceId, token));
    } catch (error) {
      failures.report('commander', 'read the board', error);
      return;
    }
    const now = this.now();
    const squad = seen.agents.filter((agent) => this.deps.squadIds.includes(agent.id));
    this.state = reconcileCommander(this.state, seen.budgets, now);
    const action = decideCommander(
      this.state,
      {
        now,
        board: seen.board,
        squad,
        templates: this.deps.templates,
        budgets: seen.budgets,
        demoBudgetIds: this.deps.demoBudgetIds,
        recentRuns: seen.recentRuns,
      },
      this.deps.limits,
      this.deps.random,
    );
    try {
      await this.perform(action);
      this.state = evolveCommander(this.state, action, now);
    } catch (error) {
      failures.report('commander', stepOf(action), error);
    }
  }

  private async perform(action: CommanderAction): Promise<void> {
    const { api, person, workspaceId } = this.deps;
    switch (action.type) {
      case 'AssignMission':
        return person.call((token) =>
          api.assignMission(workspaceId, action.missionId, action.agentId, token),
        );
      case 'TriageMission':
        return person.call((token) =>
          api.moveMission(workspaceId, action.missionId, 'TODO', token),
        );
      case 'AddMission':
        await person.call((token) =>
          api.createMission(workspaceId, { ...action.template, column: 'BACKLOG' }, token),
        );
        return;
      case 'ReopenMission':
        // Unassigned first, so it goes back through triage like any new mission.
        await person.call((token) => api.assignMission(workspaceId, action.missionId, null, token));
        await person.call((token) =>
          api.moveMission(workspaceId, action.missionId, 'BACKLOG', token),
        );
        await person.call((token) =>
          api.addComment(workspaceId, action.missionId, action.note, token),
        );
        return;
      case 'ResumeBudget':
        return person.call((token) => api.resumeBudget(workspaceId, action.budgetId, token));
      case 'ReviewMission': {
        await person.call((token) =>
          api.addComment(workspaceId, action.missionId, action.comment, token),
        );
        const { agentId } = action;
        if (action.verdict === 'approve' || agentId === null) {
          return person.call((token) =>
            api.moveMission(workspaceId, action.missionId, 'DONE', token),
          );
        }
        // Back to its agent, whose runner takes it up again from To do.
        await person.call((token) =>
          api.assignMission(workspaceId, action.missionId, agentId, token),
        );
        return person.call((token) =>
          api.moveMission(workspaceId, action.missionId, 'TODO', token),
        );
      }
      case 'Wait':
        return;
      default:
        return assertNever(action, 'commander action');
    }
  }
}
