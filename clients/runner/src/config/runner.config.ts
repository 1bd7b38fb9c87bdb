import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ADAPTER_NAMES, createAdapter } from '../adapters/adapter.registry';

const column = z.enum(['BACKLOG', 'TODO', 'IN_PROGRESS', 'REVIEW', 'DONE']);

const agentConfig = z
  .strictObject({
    /** A name for the runner's own log lines; the agent's id is learned from the server. */
    name: z.string().min(1).optional(),
    /** The agent's key (`mc_…`), or `env:NAME` to read it from the environment. A secret. */
    key: z.string().min(1),
    adapter: z.enum(ADAPTER_NAMES as [string, ...string[]]),
    /** The adapter's own options (command line, model, prompt template…). */
    options: z.record(z.string(), z.unknown()).default({}),
    /** For `adapter: openclaw`: the gateway (url, token or tokenEnv, session, protocol). */
    gateway: z.record(z.string(), z.unknown()).optional(),
    /** Runs of this agent at once. */
    concurrency: z.number().int().min(1).max(500).default(1),
    /** Where a mission goes as its run starts, so the board shows it at work; null: it stays. */
    onStart: column.nullable().default('IN_PROGRESS'),
    /** Where a mission goes when its run succeeded; null leaves it where it is. */
    onSuccess: column.nullable().default('REVIEW'),
    /** Where it goes when its run failed (not back to To do, which would run it again at once). */
    onFailure: column.nullable().default('BACKLOG'),
    /** How the agent's model is paid for: SUBSCRIPTION runs show their cost as an estimate. */
    billing: z.enum(['METERED', 'SUBSCRIPTION']).default('METERED'),
  })
  .superRefine((agent, context) => {
    if (agent.adapter === 'openclaw' && agent.gateway === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['gateway'],
        message: 'adapter openclaw needs gateway: { url, token or tokenEnv, session }',
      });
      return;
    }
    if (agent.adapter !== 'openclaw' && agent.gateway !== undefined) {
      context.addIssue({
        code: 'custom',
        path: ['gateway'],
        message: `gateway is for adapter openclaw, not ${agent.adapter}`,
      });
      return;
    }
    try {
      createAdapter(agent.adapter as never, adapterOptionsOf(agent));
    } catch (error) {
      if (!(error instanceof z.ZodError)) {
        context.addIssue({
          code: 'custom',
          path: ['options'],
          message: error instanceof Error ? error.message : String(error),
        });
        return;
      }
      // Each problem at its own key: `gateway` is a key of the agent, the rest are its options.
      for (const issue of error.issues) {
        context.addIssue({
          code: 'custom',
          path: issue.path[0] === 'gateway' ? issue.path : ['options', ...issue.path],
          message: issue.message,
        });
      }
    }
  });

/** What an agent's adapter is built from: its options, and its gateway for openclaw. */
export function adapterOptionsOf(agent: {
  options: Record<string, unknown>;
  gateway?: Record<string, unknown>;
}): Record<string, unknown> {
  return agent.gateway !== undefined ? { ...agent.options, gateway: agent.gateway } : agent.options;
}

export const runnerConfigSchema = z.strictObject({
  /** The gateway's origin, e.g. http://127.0.0.1:4000. */
  gatewayUrl: z.url({ protocol: /^https?$/ }),
  agents: z.array(agentConfig).min(1),
  /** Each run works in `<workRoot>/<run id>`. */
  workRoot: z.string().min(1).default(path.join(tmpdir(), 'mission-control-runs')),
  /** After a cancel, how long the process group has between SIGTERM and SIGKILL. */
  killGraceMs: z.number().int().min(0).max(60_000).default(1_000),
  /** Between heartbeats of each agent. */
  heartbeatIntervalMs: z.number().int().min(1_000).default(30_000),
  /** How long an idle agent sleeps without a wake before asking for work anyway. */
  pollIntervalMs: z.number().int().min(100).default(30_000),
  /** Log lines wait at most this long before they are sent. */
  logFlushMs: z.number().int().min(10).max(10_000).default(250),
  /**
   * Between samples of this host's CPU, memory and disk, which keep it online on the Hosts page
   * (each agent is placed on the host as the runner starts); 0: the host is not reported.
   */
  hostSampleSeconds: z.number().min(0).max(3_600).default(15),
  /** Remove a run's working folder once it ended. */
  cleanWorkFolders: z.boolean().default(false),
});

export type RunnerConfig = z.output<typeof runnerConfigSchema>;
export type RunnerConfigInput = z.input<typeof runnerConfigSchema>;
export type AgentConfig = RunnerConfig['agents'][number];

/** Thrown for a configuration that cannot be used; the message names every bad key. */
export class RunnerConfigError extends Error {
  override name = 'RunnerConfigError';
}

/** `env:NAME` keys and gateways' `tokenEnv` resolved from the environment. */
function resolveKeys(config: RunnerConfig, env: NodeJS.ProcessEnv): RunnerConfig {
  const missing: string[] = [];
  const agents = config.agents.map((agent, index) => {
    let resolved = agent;
    if (agent.key.startsWith('env:')) {
      const name = agent.key.slice('env:'.length);
      const value = env[name];
      if (value) {
        resolved = { ...resolved, key: value };
      } else {
        missing.push(`agents.${index}.key: the environment has no ${name}`);
      }
    }
    const tokenEnv = agent.gateway?.tokenEnv;
    if (typeof tokenEnv === 'string') {
      const value = env[tokenEnv];
      if (value) {
        const { tokenEnv: _named, ...gateway } = agent.gateway!;
        resolved = { ...resolved, gateway: { ...gateway, token: value } };
      } else {
        missing.push(`agents.${index}.gateway.tokenEnv: the environment has no ${tokenEnv}`);
      }
    }
    return resolved;
  });
  if (missing.length > 0) {
    throw new RunnerConfigError(
      `The runner's configuration cannot be used:\n${missing.join('\n')}`,
    );
  }
  return { ...config, agents };
}

/** A configuration object validated, with its defaults; throws RunnerConfigError naming each problem. */
export function parseRunnerConfig(
  value: unknown,
  env: NodeJS.ProcessEnv = process.env,
): RunnerConfig {
  const parsed = runnerConfigSchema.safeParse(value);
  if (!parsed.success) {
    throw new RunnerConfigError(
      `The runner's configuration cannot be used:\n${z.prettifyError(parsed.error)}`,
    );
  }
  return resolveKeys(parsed.data, env);
}

/** A YAML or JSON file (JSON is YAML too), validated; a relative workRoot is taken from the file's folder. */
export async function loadRunnerConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunnerConfig> {
  let value: unknown;
  try {
    value = parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    throw new RunnerConfigError(
      `Cannot read the runner's configuration from ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const config = parseRunnerConfig(value, env);
  return { ...config, workRoot: path.resolve(path.dirname(file), config.workRoot) };
}
