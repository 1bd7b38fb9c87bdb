import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AgentSession,
  isMissionControlError,
  type ReportHostInput,
} from '@mission-control/sdk';
import { cpuTimes, type CpuTimes, hostFacts, hostKeyIn, hostSample } from './host-facts';

export type HostReporterOptions = {
  workRoot: string;
  /** Between samples; the server counts a host offline after a minute without one. */
  intervalMs: number;
  /** A problem worth a line in the runner's output; reporting goes on at the next tick. */
  onProblem(message: string): void;
};

// dist/host/host-reporter.js and src/host/host-reporter.ts alike: the package's own file.
const runnerVersion = (): string =>
  (
    JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;

/**
 * The runtime host (PRODUCT A7) under a runner: every agent it holds reports the host, which
 * places the agent on it, and the host is sampled (CPU, memory, the work folder's disk) every
 * `intervalMs` for as long as the runner runs, through one agent of each workspace. A host that
 * cannot be reported never stops the work: the next tick tries again.
 */
export class HostReporter {
  private timer: NodeJS.Timeout | undefined;
  private facts: ReportHostInput | null = null;
  /** Per workspace: the host's id there, once reported, and the agent that samples it. */
  private readonly hosts = new Map<string, { hostId: string | null; session: AgentSession }>();
  private since: CpuTimes = cpuTimes();

  constructor(
    private readonly sessions: readonly AgentSession[],
    private readonly options: HostReporterOptions,
  ) {}

  async start(): Promise<void> {
    this.facts = hostFacts(await hostKeyIn(this.options.workRoot), runnerVersion());
    await this.report();
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = setTimeout(
      () => void this.tick().finally(() => this.timer && this.schedule()),
      this.options.intervalMs,
    );
    this.timer.unref();
  }

  /** Places every agent on this host; the first of each workspace samples it there. */
  private async report(): Promise<void> {
    for (const session of this.sessions) {
      try {
        const host = await session.client.reportHost(session.workspaceId, this.facts!);
        const known = this.hosts.get(session.workspaceId);
        this.hosts.set(session.workspaceId, {
          hostId: host.id,
          session: known?.session ?? session,
        });
      } catch (error) {
        this.options.onProblem(`reporting the host failed: ${messageOf(error)}`);
      }
    }
  }

  private async tick(): Promise<void> {
    if ([...this.hosts.values()].some((host) => host.hostId === null) || this.hosts.size === 0) {
      await this.report();
    }
    const sample = await hostSample(this.options.workRoot, this.since).catch((error: unknown) => {
      this.options.onProblem(`sampling the host failed: ${messageOf(error)}`);
      return null;
    });
    this.since = cpuTimes();
    if (!sample) {
      return;
    }
    for (const [workspaceId, host] of this.hosts) {
      if (host.hostId === null) {
        continue;
      }
      try {
        await host.session.client.reportHostSample(workspaceId, host.hostId, sample);
      } catch (error) {
        // Removed by a person, or the agent moved: report the host again next time.
        if (isMissionControlError(error) && ['NOT_FOUND', 'FORBIDDEN'].includes(error.code)) {
          host.hostId = null;
        }
        this.options.onProblem(`a host sample was refused: ${messageOf(error)}`);
      }
    }
  }
}

const messageOf = (error: unknown) =>
  isMissionControlError(error) ? `${error.code}: ${error.message}` : String(error);
