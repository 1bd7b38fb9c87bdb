import { defaultAgentPacing } from './demo-agent.decider';
import { DemoAgentRunner } from './demo-agent.runner';
import { DemoAgentSession, type AgentKeyring } from './demo-agent.session';
import { DemoApiRepository } from './demo-api.repository';
import { defaultCommanderLimits } from './demo-commander.decider';
import { DemoCommanderRunner } from './demo-commander.runner';
import { DemoFailureLog } from './demo-failure.log';
import { DemoGraphqlClient } from './demo-graphql.client';
import { DemoLoopScheduler } from './demo-loop.scheduler';
import type { DemoPersonSession } from './demo-person.session';
import { DemoSeeder, type SquadMember } from './demo-seeder.service';
import { MISSION_TEMPLATES } from './demo-squad.catalog';
import { DemoStateRepository, type DemoState } from './demo-state.repository';

export type DemoSquadOptions = {
  gatewayUrl: string; // e.g. http://127.0.0.1:3000 ; POST `${gatewayUrl}/graphql`
  dataDir: string; // the instance's data folder; demo state lives in `${dataDir}/demo.json` (0o600)
  log: (line: string) => void; // one human line per notable step (seeding steps); not per heartbeat
  random?: () => number; // injectable for tests
  paceMs?: number; // base tick; agents act every 0.75–2.5 × pace, missions take ~7.5–30 × pace
};

export type DemoSquad = {
  login: { email: string; password: string };
  workspaceId: string;
  stop(): Promise<void>;
};

/** Agents act every 3–10 s and a mission takes 30–120 s from claim to DONE. */
export const DEFAULT_PACE_MS = 4_000;

type Wiring = {
  api: DemoApiRepository;
  store: DemoStateRepository;
  state: DemoState;
  person: DemoPersonSession;
  workspaceId: string;
  log: (line: string) => void;
};

/** The key of `member`, reissued by the demo user when the API keeps refusing it. */
function keyringOf(member: SquadMember, wiring: Wiring): AgentKeyring {
  const { api, store, state, person, workspaceId, log } = wiring;
  return {
    current: () => member.stored.key,
    reissue: async () => {
      const key = await person.call((token) =>
        api.issueAgentKey(workspaceId, member.stored.agentId, token),
      );
      member.stored.key = key;
      await store.save(state);
      log(`Demo agent key reissued: ${member.profile.name}`);
      return key;
    },
  };
}

/**
 * Seeds (or finds again) the demo workspace through the gateway's public API, then runs its squad:
 * agents heartbeat, claim what they are assigned, run it (log, tokens, outcome) while moving it
 * across the board with progress comments, and finish it, while the demo user assigns work, keeps
 * the backlog topped up and resumes the demo's budget a while after it stopped its agent. Resolves
 * once the workspace is ready and the loops are running; rejects if seeding fails.
 */
export async function startDemoSquad(options: DemoSquadOptions): Promise<DemoSquad> {
  const random = options.random ?? Math.random;
  const paceMs = options.paceMs ?? DEFAULT_PACE_MS;
  const { log } = options;
  const scheduler = new DemoLoopScheduler();
  const sleep = (ms: number) => scheduler.sleep(ms);
  const api = new DemoApiRepository(new DemoGraphqlClient(options.gatewayUrl));
  const store = new DemoStateRepository(options.dataDir);
  const failures = new DemoFailureLog(log);

  const seeded = await new DemoSeeder({ api, store, log, sleep }).seed();
  const { state, person, workspaceId, squad } = seeded;
  const wiring: Wiring = { api, store, state, person, workspaceId, log };

  const pacing = defaultAgentPacing(paceMs);
  for (const member of squad) {
    const name = member.profile.name;
    const runner = new DemoAgentRunner({
      api,
      session: new DemoAgentSession(api, keyringOf(member, wiring), sleep),
      workspaceId,
      agentId: member.stored.agentId,
      name,
      teammates: squad.map((other) => other.profile.name).filter((other) => other !== name),
      setup: {
        adapter: member.profile.adapter,
        model: member.profile.model,
        provider: member.profile.provider,
        billing: member.profile.billing,
      },
      pacing,
      random,
      failures,
    });
    // Staggered, so the agents do not all act in the same instant.
    scheduler.every(
      random() * paceMs,
      () => paceMs * (0.75 + 1.75 * random()),
      () => runner.tick(),
      (error) => failures.report(`agent ${name}`, 'act', error),
    );
  }

  const commander = new DemoCommanderRunner({
    api,
    person,
    workspaceId,
    squadIds: squad.map((member) => member.stored.agentId),
    templates: MISSION_TEMPLATES,
    demoBudgetIds: state.budgetId === null ? [] : [state.budgetId],
    limits: defaultCommanderLimits(paceMs),
    random,
    failures,
  });
  scheduler.every(
    paceMs * (0.5 + random()),
    () => paceMs * (1.5 + random()),
    () => commander.tick(),
    (error) => failures.report('commander', 'act', error),
  );

  return {
    login: { email: state.email, password: state.password },
    workspaceId,
    stop: () => scheduler.stop(),
  };
}
