import { join, resolve } from 'node:path';
import { startRunner, type Runner, type RunnerConfigInput } from '@mission-control/runner';
import { acceptedKey, type AgentKeyTiming } from './demo-agent-key.service';
import { DemoApiRepository } from './demo-api.repository';
import { defaultCommanderLimits } from './demo-commander.decider';
import { DemoCommanderRunner } from './demo-commander.runner';
import { DemoFailureLog } from './demo-failure.log';
import { DemoGraphqlClient } from './demo-graphql.client';
import { DemoLoopScheduler } from './demo-loop.scheduler';
import { DemoSeeder, type SquadMember } from './demo-seeder.service';
import { MISSION_TEMPLATES } from './demo-squad.catalog';
import { DemoStateRepository } from './demo-state.repository';

export type DemoSquadOptions = {
  gatewayUrl: string; // e.g. http://127.0.0.1:3000 ; POST `${gatewayUrl}/graphql`
  dataDir: string; // the instance's data folder; demo state lives in `${dataDir}/demo.json` (0o600)
  log: (line: string) => void; // one human line per notable step (seeding steps); not per heartbeat
  random?: () => number; // injectable for tests
  paceMs?: number; // base tick; the commander acts every 1.5–2.5 × pace, a run takes ~7.5–30 × pace
  /** Injectable for tests: the runner the squad's agents work in. */
  startRunner?: typeof startRunner;
  keyTiming?: AgentKeyTiming;
};

export type DemoSquad = {
  login: { email: string; password: string };
  workspaceId: string;
  stop(): Promise<void>;
};

/** The commander acts every 6–10 s and a run takes 30–120 s. */
export const DEFAULT_PACE_MS = 4_000;

/** The scripted model the squad's runs execute (`bin/demo-model`, beside `src` and `dist`). */
export const DEMO_MODEL_BIN = resolve(__dirname, '../../bin/demo-model');

/**
 * The runner's configuration for the squad: each agent on the `command` adapter running the demo's
 * scripted model as its model would (its name, price and billing), one run at a time, its mission
 * In progress while the run goes on, in Review when it succeeded and back in To do when it failed.
 */
export function demoRunnerConfig(options: {
  gatewayUrl: string;
  dataDir: string;
  paceMs: number;
  agents: readonly { member: SquadMember; key: string }[];
}): RunnerConfigInput {
  const { paceMs } = options;
  return {
    gatewayUrl: options.gatewayUrl,
    // In the data folder: the host's key is kept there, so a restart is the same host.
    workRoot: join(options.dataDir, 'demo-runs'),
    cleanWorkFolders: true,
    heartbeatIntervalMs: 15_000,
    // Wakes come at once over the live push; the poll only covers one that was missed.
    pollIntervalMs: Math.max(1_000, paceMs * 5),
    agents: options.agents.map(({ member: { profile }, key }) => ({
      name: profile.name,
      key,
      adapter: 'command',
      concurrency: 1,
      onStart: 'IN_PROGRESS',
      onSuccess: 'REVIEW',
      // Another try at once, by whichever agent takes it: the scripted model fails now and then.
      onFailure: 'TODO',
      billing: profile.billing,
      options: {
        command: DEMO_MODEL_BIN,
        args: ['{{missionFile}}'],
        env: { MC_DEMO_MODEL: profile.model, MC_DEMO_PACE_MS: String(paceMs) },
        model: profile.model,
        provider: profile.provider,
      },
    })),
  };
}

/**
 * Seeds (or finds again) the demo workspace through the gateway's public API, then runs its squad:
 * the agents' keys go to a runner in this process, which claims their missions and runs each with
 * the demo's scripted model (log, progress, tokens, cost, outcome), while the demo user assigns
 * work, reviews what was finished, keeps the backlog topped up and resumes the demo's budget a
 * while after it stopped its agent. Resolves once the workspace is ready and both are at work;
 * rejects if seeding fails.
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

  // Keys are checked before the runner gets them: one it would find refused is reissued now.
  const agents = await Promise.all(
    squad.map(async (member) => {
      const key = await acceptedKey(
        api,
        {
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
        },
        sleep,
        options.keyTiming,
      );
      return { member, key };
    }),
  );
  const nameOf = new Map(squad.map((member) => [member.stored.agentId, member.profile.name]));
  const runner: Runner = await (options.startRunner ?? startRunner)(
    demoRunnerConfig({ gatewayUrl: options.gatewayUrl, dataDir: options.dataDir, paceMs, agents }),
    {
      handleSignals: false,
      // Runs starting and ending are on the board; what went wrong is said once per kind.
      onEvent: (event) => {
        if (event.type === 'error') {
          const who = event.agentId
            ? `agent ${nameOf.get(event.agentId) ?? event.agentId}`
            : 'runner';
          failures.note(who, event.message);
        }
      },
    },
  );

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
    // The commander first, then the runner, which hands back the missions it was running.
    stop: async () => {
      await scheduler.stop();
      await runner.stop();
    },
  };
}
