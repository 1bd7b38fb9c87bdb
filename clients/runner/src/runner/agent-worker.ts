import { setMaxListeners } from 'node:events';
import {
  AgentSession,
  type AgentIdentity,
  isMissionControlError,
  type ClaimedMission,
} from '@mission-control/sdk';
import type { AgentAdapter } from '../adapters/adapter';
import type { AgentConfig, RunnerConfig } from '../config/runner.config';
import { executeRun, type ExecutionSettings, type RunReport } from './run-executor';

/** Claims asked for at once when slots are free. */
const PARALLEL_CLAIMS = 8;

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * One agent of the runner: its session (heartbeats, wakes, leases), and a loop that sleeps until
 * woken, takes missions up to its concurrency and runs each with its adapter.
 */
export class AgentWorker {
  readonly session: AgentSession;
  private readonly active = new Set<Promise<RunReport | null>>();
  private readonly stopping = new AbortController();
  private loop: Promise<void> | null = null;
  /** Why the server refused this agent's key, once it did: the agent stopped taking work. */
  refusedBecause: string | null = null;

  constructor(
    private readonly agent: AgentConfig,
    private readonly adapter: AgentAdapter,
    config: RunnerConfig,
    private readonly settings: Omit<
      ExecutionSettings,
      'onSuccess' | 'onFailure' | 'onStart' | 'billing'
    >,
  ) {
    this.session = new AgentSession({
      url: config.gatewayUrl,
      agentKey: agent.key,
      activity: `runner (${adapter.name})`,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      pollIntervalMs: config.pollIntervalMs,
      logFlushMs: config.logFlushMs,
      userAgent: 'mission-control-runner',
      onError: (error) =>
        settings.emit({
          type: 'error',
          agentId: this.agentId,
          message: `${error.code}: ${error.message}`,
        }),
    });
  }

  get agentId(): string | null {
    try {
      return this.session.agent.id;
    } catch {
      return null;
    }
  }

  get runningCount(): number {
    return this.active.size;
  }

  /** Resolves when the agent takes no more work (stopped, or its key refused). */
  get idle(): Promise<void> {
    return this.loop ?? Promise.resolve();
  }

  async start(): Promise<AgentIdentity> {
    // Every run listens for the runner stopping.
    setMaxListeners(0, this.stopping.signal);
    const identity = await this.session.start();
    this.loop = this.work();
    return identity;
  }

  /** Stops taking work, stops every run's process tree and hands its mission back, then the session. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await Promise.all([...this.active]);
    await this.session.stop();
  }

  private async work(): Promise<void> {
    const stop = this.stopping.signal;
    const stopped = new Promise<void>((resolve) =>
      stop.addEventListener('abort', () => resolve(), { once: true }),
    );
    let backoffMs = 1_000;
    while (!stop.aborted) {
      const free = this.agent.concurrency - this.active.size;
      if (free <= 0) {
        await Promise.race([...this.active, stopped]);
        continue;
      }
      // A claim for each free slot, a few at once: a queue of work fills the runner quickly.
      const claims = await Promise.all(
        Array.from({ length: Math.min(free, PARALLEL_CLAIMS) }, () => this.claim()),
      );
      if (stop.aborted) {
        // Claimed as the runner stopped: handed back rather than left to lapse.
        await Promise.all(
          claims
            .filter(
              (claim): claim is ClaimedMission =>
                typeof claim === 'object' && claim !== null && !('unauthenticated' in claim),
            )
            .map((mission) => this.session.release(mission.id).catch(() => undefined)),
        );
        break;
      }
      for (const claim of claims) {
        if (typeof claim === 'object' && claim !== null && !('unauthenticated' in claim)) {
          this.run(claim);
        }
      }
      const refusal = claims.find(
        (claim): claim is { unauthenticated: string } =>
          typeof claim === 'object' && claim !== null && 'unauthenticated' in claim,
      );
      if (refusal) {
        // A revoked or replaced key, a deactivated agent: asking again will not help.
        this.refusedBecause = refusal.unauthenticated;
        this.settings.emit({
          type: 'error',
          agentId: this.agentId,
          message: `the agent's key was refused (${refusal.unauthenticated}): this agent takes no more work`,
        });
        break;
      }
      if (claims.includes('refused')) {
        // A budget's stop is not over at once: wait for a wake, or a while.
        await this.session.waitForWork({ signal: stop });
      } else if (claims.includes('failed')) {
        await sleep(backoffMs, stop);
        backoffMs = Math.min(backoffMs * 2, 30_000);
      } else {
        backoffMs = 1_000;
        if (claims.includes(null)) {
          // The queue is empty: sleep until woken (or the poll's time).
          await this.session.waitForWork({ signal: stop });
        }
      }
    }
  }

  /** A claimed mission, null for none, or why there is none now. */
  private async claim(): Promise<
    ClaimedMission | null | 'refused' | 'failed' | { unauthenticated: string }
  > {
    try {
      return await this.session.nextMission();
    } catch (error) {
      if (this.stopping.signal.aborted) {
        return null;
      }
      this.settings.emit({
        type: 'error',
        agentId: this.agentId,
        message: `asking for work: ${error instanceof Error ? error.message : String(error)}`,
      });
      if (isMissionControlError(error, 'UNAUTHENTICATED')) {
        return { unauthenticated: error.message };
      }
      return isMissionControlError(error, 'LIMIT_EXCEEDED') ? 'refused' : 'failed';
    }
  }

  private run(mission: ClaimedMission): void {
    const execution: Promise<RunReport | null> = executeRun(
      this.session,
      this.adapter,
      mission,
      {
        ...this.settings,
        onSuccess: this.agent.onSuccess,
        onFailure: this.agent.onFailure,
        onStart: this.agent.onStart,
        billing: this.agent.billing,
      },
      this.stopping.signal,
    ).then(
      (report) => {
        this.settings.emit({ type: 'run-ended', agentId: this.agentId ?? '', report });
        return report;
      },
      (error: unknown) => {
        // The run could not even start (the claim lapsed, the server refused): the loop goes on.
        this.settings.emit({
          type: 'error',
          agentId: this.agentId,
          message: `mission ${mission.id}: ${error instanceof Error ? error.message : String(error)}`,
        });
        return null;
      },
    );
    this.active.add(execution);
    void execution.finally(() => this.active.delete(execution));
  }
}
