import { randomBytes } from 'node:crypto';
import type { AgentRegistration, DemoApiRepository, PersonSession } from './demo-api.repository';
import { DemoApiError, hasCode } from './demo-graphql.client';
import { DemoPersonSession } from './demo-person.session';
import {
  AGENT_PROFILES,
  DEMO_BUDGET,
  DEMO_EMAIL,
  DEMO_PERSON_NAME,
  DEMO_WORKSPACE_NAME,
  INITIAL_BACKLOG,
  type AgentProfile,
} from './demo-squad.catalog';
import type { DemoState, DemoStateRepository, StoredAgent } from './demo-state.repository';

export type DemoSeederDeps = {
  api: DemoApiRepository;
  store: DemoStateRepository;
  log: (line: string) => void;
  /** Resolves false when the demo is stopped, which ends any waiting. */
  sleep: (ms: number) => Promise<boolean>;
  now?: () => number;
  /** How long a step retries an error the API calls retryable (the stack may still be warming). */
  transientWaitMs?: number;
};

export type SquadMember = { profile: AgentProfile; stored: StoredAgent };

export type SeededDemo = {
  state: DemoState;
  person: DemoPersonSession;
  workspaceId: string;
  squad: SquadMember[];
};

const newPassword = (): string => randomBytes(18).toString('base64url');

const freshState = (email: string): DemoState => ({
  version: 1,
  email,
  password: newPassword(),
  signedUp: false,
  workspaceId: null,
  agents: [],
  backlogSeeded: false,
  budgetId: null,
});

const registration = (profile: AgentProfile): AgentRegistration => ({
  name: profile.name,
  role: profile.role,
  capabilities: profile.capabilities,
  model: profile.model,
  provider: profile.provider,
  config: JSON.stringify(profile.config),
});

/**
 * Makes sure the demo user, its workspace, the squad's agents with their keys, the first backlog
 * and the demo's budget exist, creating what is missing. Each step is saved as soon as it is done, so a run interrupted
 * half-way resumes where it stopped instead of creating everything twice.
 */
export class DemoSeeder {
  private readonly now: () => number;
  private readonly transientWaitMs: number;

  constructor(private readonly deps: DemoSeederDeps) {
    this.now = deps.now ?? Date.now;
    this.transientWaitMs = deps.transientWaitMs ?? 30_000;
  }

  async seed(): Promise<SeededDemo> {
    const stored = await this.deps.store.load();
    const state = stored ?? freshState(DEMO_EMAIL);
    if (!stored) {
      // Saved before signing up, so the password is never lost.
      await this.deps.store.save(state);
    }
    const session = await this.signIn(state);
    const credentials = { email: state.email, password: state.password };
    const person = new DemoPersonSession(this.deps.api, credentials, session, this.now);
    const workspaceId = await this.workspace(state, person);
    const squad = await this.agents(state, person, workspaceId);
    await this.backlog(state, person, workspaceId);
    await this.budget(state, person, workspaceId, squad);
    return { state, person, workspaceId, squad };
  }

  private async signIn(state: DemoState): Promise<PersonSession> {
    const { api, log } = this.deps;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const steps = state.signedUp
        ? (['logIn', 'signUp'] as const)
        : (['signUp', 'logIn'] as const);
      for (const step of steps) {
        try {
          const session = await this.retrying(() =>
            step === 'signUp'
              ? api.signUp(state.email, state.password, DEMO_PERSON_NAME)
              : api.logIn(state.email, state.password),
          );
          if (!state.signedUp) {
            state.signedUp = true;
            await this.deps.store.save(state);
          }
          log(
            step === 'signUp'
              ? `Demo user signed up: ${state.email}`
              : `Demo user logged in: ${state.email}`,
          );
          return session;
        } catch (error) {
          // logIn: no such account (a new database) or another password; signUp: address taken.
          if (!hasCode(error, 'UNAUTHENTICATED') && !hasCode(error, 'CONFLICT')) {
            throw error;
          }
        }
      }
      // The address belongs to an account whose password is not ours: start over under another.
      const taken = state.email;
      Object.assign(
        state,
        freshState(`demo+${randomBytes(3).toString('hex')}@mission-control.local`),
      );
      await this.deps.store.save(state);
      log(`Demo user ${taken} exists with another password; using ${state.email} instead`);
    }
    throw new Error('Could not sign the demo user up or in');
  }

  private async workspace(state: DemoState, person: DemoPersonSession): Promise<string> {
    const { api, log, store } = this.deps;
    if (state.workspaceId !== null) {
      const workspaceId = state.workspaceId;
      try {
        await this.retrying(() => person.enter(workspaceId));
        log(`Demo workspace reused: ${DEMO_WORKSPACE_NAME}`);
        return workspaceId;
      } catch (error) {
        if (!hasCode(error, 'FORBIDDEN') && !hasCode(error, 'NOT_FOUND')) {
          throw error;
        }
        // Gone, or no longer ours: what was made in it went with it.
        Object.assign(state, {
          workspaceId: null,
          agents: [],
          backlogSeeded: false,
          budgetId: null,
        });
        log('Demo workspace from the last run is gone; making a new one');
      }
    }
    const existing = (await this.retrying(() => api.workspaces(person.accountToken))).find(
      (workspace) => workspace.name === DEMO_WORKSPACE_NAME,
    );
    const workspace =
      existing ??
      (await this.retrying(
        () => api.createWorkspace(DEMO_WORKSPACE_NAME, person.accountToken),
        // Slugs get a random tail; a clash says to try again.
        (error) => hasCode(error, 'CONFLICT'),
      ));
    state.workspaceId = workspace.id;
    await store.save(state);
    await this.retrying(() => person.enter(workspace.id));
    log(`Demo workspace ${existing ? 'reused' : 'created'}: ${DEMO_WORKSPACE_NAME}`);
    return workspace.id;
  }

  private async agents(
    state: DemoState,
    person: DemoPersonSession,
    workspaceId: string,
  ): Promise<SquadMember[]> {
    const { api, log, store } = this.deps;
    const roster = await this.retrying(() =>
      person.call((token) => api.agents(workspaceId, token)),
    );
    const registered: string[] = [];
    let activated = 0;
    let keys = 0;
    const squad: SquadMember[] = [];
    for (const profile of AGENT_PROFILES) {
      const known = state.agents.find((agent) => agent.name === profile.name);
      // By id first: a person may have renamed it in the app.
      let agent =
        roster.find((candidate) => candidate.id === known?.agentId) ??
        roster.find((candidate) => candidate.name === profile.name);
      if (!agent) {
        agent = await this.retrying(() =>
          person.call((token) => api.registerAgent(workspaceId, registration(profile), token)),
        );
        registered.push(`${profile.name} (${profile.role})`);
      }
      let stored = known;
      if (!stored || stored.agentId !== agent.id) {
        stored = { name: profile.name, agentId: agent.id, key: null };
        state.agents = [...state.agents.filter((entry) => entry.name !== profile.name), stored];
        await store.save(state);
      }
      const agentId = agent.id;
      if (agent.status === 'INACTIVE') {
        await this.retrying(() =>
          person.call((token) => api.activateAgent(workspaceId, agentId, token)),
        );
        activated += 1;
      }
      if (stored.key === null) {
        stored.key = await this.retrying(() =>
          person.call((token) => api.issueAgentKey(workspaceId, agentId, token)),
        );
        await store.save(state);
        keys += 1;
      }
      squad.push({ profile, stored });
    }
    if (registered.length > 0) {
      log(`Demo agents registered: ${registered.join(', ')}`);
    }
    if (activated > 0) {
      log(`Demo agents activated: ${activated}`);
    }
    if (keys > 0) {
      log(`Demo agent keys issued: ${keys}`);
    }
    return squad;
  }

  private async backlog(
    state: DemoState,
    person: DemoPersonSession,
    workspaceId: string,
  ): Promise<void> {
    if (state.backlogSeeded) {
      return;
    }
    const { api, log, store } = this.deps;
    const board = await this.retrying(() => person.call((token) => api.board(workspaceId, token)));
    // Titles already there were made by a run that stopped before it could record it.
    const onBoard = new Set(board.map((mission) => mission.title));
    let created = 0;
    for (const { template, column } of INITIAL_BACKLOG) {
      if (onBoard.has(template.title)) {
        continue;
      }
      await this.retrying(() =>
        person.call((token) => api.createMission(workspaceId, { ...template, column }, token)),
      );
      created += 1;
    }
    state.backlogSeeded = true;
    await store.save(state);
    log(`Demo backlog created: ${created} missions`);
  }

  /** One agent's small daily budget, which it reaches within minutes: the stop is there to see. */
  private async budget(
    state: DemoState,
    person: DemoPersonSession,
    workspaceId: string,
    squad: readonly SquadMember[],
  ): Promise<void> {
    const member = squad.find((candidate) => candidate.profile.name === DEMO_BUDGET.agentName);
    if (state.budgetId !== null || !member) {
      return;
    }
    const { api, log, store } = this.deps;
    const { agentName: _agentName, ...limits } = DEMO_BUDGET;
    const agentId = member.stored.agentId;
    // Made by a run that stopped before it could record it.
    const existing = (
      await this.retrying(() => person.call((token) => api.budgets(workspaceId, token)))
    ).find((budget) => budget.agentId === agentId && budget.name === DEMO_BUDGET.name);
    const budget =
      existing ??
      (await this.retrying(() =>
        person.call((token) => api.setBudget(workspaceId, { ...limits, agentId }, token)),
      ));
    state.budgetId = budget.id;
    await store.save(state);
    log(
      `Demo budget set: ${DEMO_BUDGET.name} ($${DEMO_BUDGET.costLimitUsd.toFixed(2)} a day for ${DEMO_BUDGET.agentName})`,
    );
  }

  /** Runs `step`, again while it fails with a retryable error, for up to `transientWaitMs`. */
  private async retrying<T>(
    step: () => Promise<T>,
    alsoRetry: (error: unknown) => boolean = () => false,
  ): Promise<T> {
    const deadline = this.now() + this.transientWaitMs;
    for (;;) {
      try {
        return await step();
      } catch (error) {
        const retryable = (error instanceof DemoApiError && error.retryable) || alsoRetry(error);
        const waitMs =
          error instanceof DemoApiError && error.retryAfterSeconds !== null
            ? Math.max(1_000, error.retryAfterSeconds * 1_000)
            : 1_000;
        if (!retryable || this.now() + waitMs > deadline || !(await this.deps.sleep(waitMs))) {
          throw error;
        }
      }
    }
  }
}
