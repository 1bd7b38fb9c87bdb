import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import {
  isMissionControlError,
  MissionControlClient,
  type MissionControlErrorCode,
} from '@mission-control/sdk';
import { z } from 'zod';
import type { AgentAdapter, MissionBrief } from '../adapters/adapter';
import { type AdapterName, createAdapter } from '../adapters/adapter.registry';
import { sessionsListResult } from '../adapters/openclaw/openclaw-frames';
import { OpenClawError, OpenClawErrorCode } from '../adapters/openclaw/openclaw.error';
import { OpenClawGatewayClient } from '../adapters/openclaw/openclaw-gateway.client';
import { openClawAdapterOptions, protocolRange } from '../adapters/openclaw/openclaw.adapter';
import {
  adapterOptionsOf,
  type AgentConfig,
  loadRunnerConfig,
  type RunnerConfig,
} from '../config/runner.config';

export type DoctorStatus = 'ok' | 'failed' | 'skipped';

/** One thing `mc runner doctor` looked at, with what to do when it failed. */
export type DoctorCheck = {
  /** The agent it is about (its name, else its place in the file); null for the runner's own. */
  agent: string | null;
  check: string;
  status: DoctorStatus;
  detail: string;
  /** What to do about a failure. */
  fix?: string;
  /** A failure's kind, as the CLI's exit codes have it (NETWORK_ERROR, UNAUTHENTICATED…). */
  code?: MissionControlErrorCode;
};

export type DoctorOptions = {
  env?: NodeJS.ProcessEnv;
  /** For each network check and each `--version` (default 5 s). */
  timeoutMs?: number;
};

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

// A brief to ask a process adapter which executable it runs; nothing is run with it.
const PROBE: MissionBrief = {
  missionId: 'doctor',
  runId: 'doctor',
  title: '',
  description: '',
  acceptanceCriteria: '',
  workFolder: '.',
  missionFile: 'MISSION.md',
  prompt: '',
};

/** The executable's path: as given when it has a slash, else the first match on PATH. */
export function findExecutable(command: string, env: NodeJS.ProcessEnv): string | null {
  const executable = (file: string) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  if (command.includes('/')) {
    const file = path.resolve(command);
    return executable(file) ? file : null;
  }
  for (const folder of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const file = path.join(folder, command);
    if (executable(file)) {
      return file;
    }
  }
  return null;
}

function runVersion(
  file: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ ok: boolean; text: string }> {
  return new Promise((resolve) => {
    execFile(file, ['--version'], { env, timeout: timeoutMs }, (error, stdout, stderr) => {
      const text = `${stdout}`.trim() || `${stderr}`.trim();
      const first = text.split('\n')[0] ?? '';
      if (error) {
        const why = error.killed
          ? `no answer within ${timeoutMs} ms`
          : `exited with code ${String(error.code)}`;
        resolve({ ok: false, text: first ? `${why}: ${first}` : why });
      } else {
        resolve({ ok: true, text: first || 'no output' });
      }
    });
  });
}

/** The exit code's kind of each way talking to an OpenClaw gateway fails. */
const OPENCLAW_EXIT: Record<OpenClawErrorCode, MissionControlErrorCode> = {
  [OpenClawErrorCode.UNREACHABLE]: 'NETWORK_ERROR',
  [OpenClawErrorCode.HANDSHAKE_TIMEOUT]: 'NETWORK_ERROR',
  [OpenClawErrorCode.REQUEST_TIMEOUT]: 'NETWORK_ERROR',
  [OpenClawErrorCode.CLOSED]: 'NETWORK_ERROR',
  [OpenClawErrorCode.PROTOCOL_MISMATCH]: 'CONFLICT',
  [OpenClawErrorCode.BAD_FRAME]: 'INTERNAL_ERROR',
  [OpenClawErrorCode.AUTH_REFUSED]: 'UNAUTHENTICATED',
  [OpenClawErrorCode.HANDSHAKE_REFUSED]: 'FORBIDDEN',
  [OpenClawErrorCode.REQUEST_FAILED]: 'INTERNAL_ERROR',
};

class Report {
  readonly checks: DoctorCheck[] = [];

  add(agent: string | null, check: string, status: DoctorStatus, detail: string) {
    this.checks.push({ agent, check, status, detail });
  }

  fail(
    agent: string | null,
    check: string,
    code: MissionControlErrorCode,
    detail: string,
    fix: string,
  ) {
    this.checks.push({ agent, check, status: 'failed', detail, fix, code });
  }
}

/** Mission Control answers HTTP at its gateway (any answer will do: the key check says more). */
async function checkMissionControl(config: RunnerConfig, report: Report, timeoutMs: number) {
  const url = new URL('/graphql', config.gatewayUrl).toString();
  try {
    const started = Date.now();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    report.add(
      null,
      'Mission Control reachable',
      'ok',
      `${config.gatewayUrl} answered HTTP ${response.status} in ${Date.now() - started} ms`,
    );
    return true;
  } catch (error) {
    // fetch's own message says little ("fetch failed"); its cause says what (ECONNREFUSED…).
    const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
    const why =
      typeof cause?.message === 'string' && cause.message !== ''
        ? cause.message
        : typeof cause?.code === 'string'
          ? cause.code
          : message(error);
    report.fail(
      null,
      'Mission Control reachable',
      'NETWORK_ERROR',
      `cannot reach ${config.gatewayUrl}: ${why}`,
      'check gatewayUrl in the file and that Mission Control runs and is reachable from this host',
    );
    return false;
  }
}

async function checkKey(agent: AgentConfig, name: string, url: string, report: Report) {
  const client = new MissionControlClient({
    url,
    agentKey: agent.key,
    retry: { attempts: 1 },
    newKeyGraceMs: 0,
    userAgent: 'mission-control-runner-doctor',
  });
  try {
    await client.accessToken();
    report.add(name, 'agent key exchanged for a token', 'ok', 'the key is accepted');
  } catch (error) {
    const refused = isMissionControlError(error, 'UNAUTHENTICATED');
    report.fail(
      name,
      'agent key exchanged for a token',
      isMissionControlError(error) ? error.code : 'INTERNAL_ERROR',
      message(error),
      refused
        ? 'issue a new key (`mc agents key <agent>`) and put it in the file, or in the variable its env: names'
        : 'see the reason above; the gateway logs say more',
    );
  }
}

async function checkOpenClaw(agent: AgentConfig, name: string, report: Report, timeoutMs: number) {
  const { gateway } = openClawAdapterOptions.parse(adapterOptionsOf(agent));
  const steps = [
    'OpenClaw WebSocket reachable',
    'OpenClaw handshake and protocol accepted',
    'OpenClaw token accepted',
    'OpenClaw sessions listed',
    'OpenClaw session exists',
  ];
  const skipRest = (from: number) => {
    for (const step of steps.slice(from)) {
      report.add(name, step, 'skipped', 'not checked: a check above failed');
    }
  };
  const range = protocolRange(gateway.protocol);
  let client: OpenClawGatewayClient;
  try {
    client = await OpenClawGatewayClient.connect({
      url: gateway.url,
      token: gateway.token,
      protocol: range,
      handshakeTimeoutMs: timeoutMs,
      requestTimeoutMs: timeoutMs,
    });
  } catch (error) {
    const failed =
      error instanceof OpenClawError
        ? error
        : new OpenClawError(OpenClawErrorCode.CLOSED, message(error));
    // Which step failed, from what went wrong: each step passed is reported as passed.
    const at =
      failed.code === OpenClawErrorCode.UNREACHABLE
        ? 0
        : failed.code === OpenClawErrorCode.AUTH_REFUSED ||
            failed.code === OpenClawErrorCode.HANDSHAKE_REFUSED
          ? 2
          : 1;
    if (at > 0) {
      report.add(name, steps[0]!, 'ok', `${gateway.url} accepted a WebSocket`);
    }
    if (at > 1) {
      report.add(
        name,
        steps[1]!,
        'ok',
        `connect answered (protocols ${range.min}–${range.max} offered)`,
      );
    }
    report.fail(name, steps[at]!, OPENCLAW_EXIT[failed.code], failed.message, failed.hint);
    skipRest(at + 1);
    return;
  }
  try {
    report.add(name, steps[0]!, 'ok', `${gateway.url} accepted a WebSocket`);
    report.add(
      name,
      steps[1]!,
      'ok',
      `OpenClaw ${client.hello.server?.version ?? '?'}, protocol ${client.protocol} (${range.min}–${range.max} offered)`,
    );
    report.add(name, steps[2]!, 'ok', 'hello-ok: the token is accepted');
    let keys: string[];
    try {
      const listed = sessionsListResult.safeParse(await client.request('sessions.list', {}));
      if (!listed.success) {
        report.fail(
          name,
          steps[3]!,
          'INTERNAL_ERROR',
          `sessions.list answered, not as documented: ${z.prettifyError(listed.error)}`,
          new OpenClawError(OpenClawErrorCode.BAD_FRAME, '').hint,
        );
        skipRest(4);
        return;
      }
      keys = listed.data.sessions.map((session) => session.key);
      report.add(name, steps[3]!, 'ok', `${keys.length} session${keys.length === 1 ? '' : 's'}`);
    } catch (error) {
      report.fail(
        name,
        steps[3]!,
        error instanceof OpenClawError ? OPENCLAW_EXIT[error.code] : 'INTERNAL_ERROR',
        message(error),
        error instanceof OpenClawError ? error.hint : 'see the reason above',
      );
      skipRest(4);
      return;
    }
    if (gateway.session === 'new') {
      report.add(name, steps[4]!, 'ok', 'session: new (one is created for each run)');
    } else if (keys.includes(gateway.session)) {
      report.add(name, steps[4]!, 'ok', gateway.session);
    } else {
      report.fail(
        name,
        steps[4]!,
        'NOT_FOUND',
        `no session ${gateway.session} on the gateway`,
        `set gateway.session to one of: ${keys.join(', ') || '(none)'}; or to new for a session per run`,
      );
    }
  } finally {
    await client.close();
  }
}

async function checkExecutable(
  adapter: AgentAdapter,
  name: string,
  report: Report,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
) {
  if (adapter.kind === 'session') {
    return;
  }
  const command = adapter.command(PROBE);
  const childEnv = { ...env, ...command.env };
  const file = findExecutable(command.command, childEnv);
  if (!file) {
    report.fail(
      name,
      'executable found',
      'NOT_FOUND',
      command.command.includes('/')
        ? `${command.command} is not an executable file`
        : `${command.command} is not on PATH`,
      `install ${command.command}, or set the adapter's ${adapter.name === 'command' ? 'command' : 'executable'} option to its path`,
    );
    report.add(name, 'runs --version', 'skipped', 'not checked: no executable');
    return;
  }
  report.add(name, 'executable found', 'ok', file);
  const version = await runVersion(file, childEnv, timeoutMs);
  if (version.ok) {
    report.add(name, 'runs --version', 'ok', version.text);
  } else {
    report.fail(
      name,
      'runs --version',
      'INTERNAL_ERROR',
      version.text,
      `run \`${file} --version\` yourself to see what is wrong`,
    );
  }
}

/**
 * What `mc runner doctor` checks: the file, Mission Control and each agent's key, and what each
 * agent's adapter needs (an OpenClaw gateway that answers, or an executable that runs).
 */
export async function diagnoseRunner(
  file: string,
  options: DoctorOptions = {},
): Promise<DoctorCheck[]> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const report = new Report();
  let config: RunnerConfig;
  try {
    config = await loadRunnerConfig(file, env);
  } catch (error) {
    report.fail(
      null,
      'configuration valid',
      'VALIDATION_ERROR',
      message(error),
      `fix ${file} as the lines above say`,
    );
    return report.checks;
  }
  report.add(
    null,
    'configuration valid',
    'ok',
    `${file}: ${config.agents.length} agent${config.agents.length === 1 ? '' : 's'}`,
  );
  const reachable = await checkMissionControl(config, report, timeoutMs);
  for (const [index, agent] of config.agents.entries()) {
    const name = agent.name ?? `agents[${index}]`;
    if (reachable) {
      await checkKey(agent, name, config.gatewayUrl, report);
    } else {
      report.add(
        name,
        'agent key exchanged for a token',
        'skipped',
        'not checked: Mission Control cannot be reached',
      );
    }
    const adapter = createAdapter(agent.adapter as AdapterName, adapterOptionsOf(agent));
    if (adapter.kind === 'session') {
      await checkOpenClaw(agent, name, report, timeoutMs);
    } else {
      await checkExecutable(adapter, name, report, env, timeoutMs);
    }
  }
  return report.checks;
}
