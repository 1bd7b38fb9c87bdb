import { createAdapter, type AdapterName } from '../adapters/adapter.registry';
import {
  adapterOptionsOf,
  parseRunnerConfig,
  type RunnerConfig,
  type RunnerConfigInput,
} from '../config/runner.config';
import { HostReporter } from '../host/host-reporter';
import { AgentWorker } from './agent-worker';
import type { RunnerEvent } from './run-executor';

export type RunnerOptions = {
  /** What happens: runs started and ended, errors of background work. Printed to stderr without. */
  onEvent?: (event: RunnerEvent) => void;
  /** Stop cleanly on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
};

export type Runner = {
  config: RunnerConfig;
  /** The agents at work, as the server knows them. */
  agents: { id: string; name: string; adapter: string }[];
  /** Runs under way, all agents together. */
  readonly running: number;
  /** Agents whose key the server refused (revoked, replaced, deactivated), with why. */
  readonly refused: { id: string; reason: string }[];
  /** Stops taking work, stops the runs' processes and hands their missions back. */
  stop(): Promise<void>;
  /** Resolves once the runner has stopped. */
  stopped: Promise<void>;
};

function printEvent(event: RunnerEvent): void {
  const at = new Date().toISOString();
  const line =
    event.type === 'run-started'
      ? `run ${event.runId} of mission ${event.missionId} started (${event.pid !== undefined ? `process group ${event.pid}` : event.remote})`
      : event.type === 'run-ended'
        ? `run ${event.report.runId} ended ${event.report.outcome}: ${event.report.summary.split('\n')[0]}`
        : `error: ${event.message}`;
  process.stderr.write(`${at} [runner${event.agentId ? ` ${event.agentId}` : ''}] ${line}\n`);
}

/**
 * The agents' keys named by `env:`, and gateway tokens named by `tokenEnv`, are not passed on to
 * the processes the runner starts.
 */
function childEnv(source: unknown): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const agents =
    (source as { agents?: { key?: unknown; gateway?: { tokenEnv?: unknown } }[] } | null)?.agents ??
    [];
  for (const agent of agents) {
    if (typeof agent.key === 'string' && agent.key.startsWith('env:')) {
      delete env[agent.key.slice('env:'.length)];
    }
    if (typeof agent.gateway?.tokenEnv === 'string') {
      delete env[agent.gateway.tokenEnv];
    }
  }
  return env;
}

/**
 * Starts a runner: each configured agent heartbeats, sleeps until woken, claims missions and runs
 * them with its adapter. Resolves once every agent is known to the server.
 */
export async function startRunner(
  input: RunnerConfig | RunnerConfigInput,
  options: RunnerOptions = {},
): Promise<Runner> {
  const config = parseRunnerConfig(input);
  const emit = options.onEvent ?? printEvent;
  const env = childEnv(input);
  const workers = config.agents.map(
    (agent) =>
      new AgentWorker(
        agent,
        createAdapter(agent.adapter as AdapterName, adapterOptionsOf(agent)),
        config,
        {
          workRoot: config.workRoot,
          killGraceMs: config.killGraceMs,
          cleanWorkFolders: config.cleanWorkFolders,
          env,
          emit,
        },
      ),
  );
  let host: HostReporter | undefined;
  let stopping: Promise<void> | null = null;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const onSignal = () => void stop();
  const stop = () => {
    stopping ??= (async () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      host?.stop();
      await Promise.all(workers.map((worker) => worker.stop()));
      resolveStopped();
    })();
    return stopping;
  };
  try {
    const identities = await Promise.all(workers.map((worker) => worker.start()));
    if (config.hostSampleSeconds > 0) {
      host = new HostReporter(
        workers.map((worker) => worker.session),
        {
          workRoot: config.workRoot,
          intervalMs: config.hostSampleSeconds * 1_000,
          onProblem: (message) => emit({ type: 'error', agentId: null, message }),
        },
      );
      await host.start();
    }
    if (options.handleSignals !== false) {
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
    }
    // With every agent's key refused there is nothing left to do: the runner stops.
    void Promise.all(workers.map((worker) => worker.idle)).then(() => {
      if (workers.every((worker) => worker.refusedBecause !== null)) {
        void stop();
      }
    });
    return {
      config,
      agents: identities.map((identity, index) => ({
        id: identity.id,
        name: config.agents[index]!.name ?? identity.id,
        adapter: config.agents[index]!.adapter,
      })),
      get running() {
        return workers.reduce((sum, worker) => sum + worker.runningCount, 0);
      },
      get refused() {
        return workers.flatMap((worker, index) =>
          worker.refusedBecause === null
            ? []
            : [{ id: identities[index]!.id, reason: worker.refusedBecause }],
        );
      },
      stop,
      stopped,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
