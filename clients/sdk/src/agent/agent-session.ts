import {
  type AgentIdentity,
  type ClaimedMission,
  MissionControlClient,
  type MissionControlClientOptions,
  type SpawnedSubAgent,
} from '../client/mission-control.client';
import { isMissionControlError, MissionControlError } from '../errors/mission-control.error';
import type { HeartbeatStatus, StartRunInput } from '../graphql/generated';
import { type LiveEvent, LiveConnection, type Wake } from '../live/live-connection';
import type { LogChunkLimits } from './log-batcher';
import { RunHandle } from './run-handle';

export type AgentSessionOptions = (
  { client: MissionControlClient } | ({ client?: undefined } & MissionControlClientOptions)
) & {
  /**
   * Between heartbeats (default 30 s). The server marks an agent offline after
   * AGENT_OFFLINE_AFTER_SECONDS (90 by default) without one, which ends its claims, and takes at
   * most 6 a minute.
   */
  heartbeatIntervalMs?: number;
  /** What the agent says it is doing when idle, shown on its card. */
  activity?: string;
  /** Connect to the live push for wakes and run cancels (default true). */
  live?: boolean;
  /** waitForWork asks anyway after this long without a wake (default 30 s). */
  pollIntervalMs?: number;
  /** Between lease renewals of a held mission; default a third of its remaining lease, ≤ 60 s. */
  leaseRenewIntervalMs?: number;
  /** Log lines wait at most this long before they are sent (default 250 ms). */
  logFlushMs?: number;
  logLimits?: Partial<LogChunkLimits>;
  /** Errors of background work (heartbeats, lease renewals, log chunks, the live connection). */
  onError?: (error: MissionControlError) => void;
};

/** Why waitForWork returned: a wake pushed by the server, or the fallback poll's time. */
export type WorkSignal = Wake | { reason: 'poll' };

type Held = { mission: ClaimedMission; timer: NodeJS.Timeout | undefined };

const toCoded = (error: unknown): MissionControlError =>
  error instanceof MissionControlError
    ? error
    : new MissionControlError({
        code: 'INTERNAL_ERROR',
        message: error instanceof Error ? error.message : String(error),
        cause: error,
      });

/**
 * An agent at work: it heartbeats on a timer, is woken by the server when there is work, takes
 * missions, renews their leases while it holds them, runs them with batched logs, and learns
 * at once when the server cancels a run. `stop()` ends it all cleanly.
 *
 * ```ts
 * const agent = new AgentSession({ url, agentKey });
 * await agent.start();
 * while (running) {
 *   const mission = await agent.nextMission();
 *   if (!mission) { await agent.waitForWork(); continue; }
 *   const run = await agent.startRun(mission, { adapter: 'shell', model, provider });
 *   run.log('stdout', 'working…');
 *   await run.finish('SUCCEEDED', { moveTo: 'DONE' });
 * }
 * await agent.stop();
 * ```
 */
export class AgentSession {
  readonly client: MissionControlClient;
  private identity: AgentIdentity | null = null;
  private live: LiveConnection | null = null;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private readonly held = new Map<string, Held>();
  private readonly runs = new Set<RunHandle>();
  private readonly wakeWaiters = new Set<(signal: WorkSignal) => void>();
  private pendingWake: Wake | null = null;
  private stopController = new AbortController();
  private started = false;

  constructor(private readonly options: AgentSessionOptions) {
    this.client = options.client ?? new MissionControlClient(options);
  }

  /** Who the agent is, from its first heartbeat. */
  get agent(): AgentIdentity {
    if (!this.identity) {
      throw new Error('The agent session has not started: call start() first');
    }
    return this.identity;
  }

  get workspaceId(): string {
    return this.agent.workspaceId;
  }

  /** Missions the agent holds a claim on. */
  get heldMissions(): ClaimedMission[] {
    return [...this.held.values()].map((held) => held.mission);
  }

  /** Runs under way. */
  get activeRuns(): RunHandle[] {
    return [...this.runs];
  }

  /** Whether the live push is connected (wakes and cancels arrive at once). */
  get liveConnected(): boolean {
    return this.live?.ready ?? false;
  }

  /**
   * Heartbeats first (an agent silent since it was activated may be marked offline, which would
   * end a claim it makes), then keeps heartbeating and connects to the live push.
   */
  async start(): Promise<AgentIdentity> {
    if (this.started) {
      return this.agent;
    }
    if (this.stopController.signal.aborted) {
      this.stopController = new AbortController();
    }
    this.identity = await this.client.heartbeat('IDLE', this.options.activity);
    this.started = true;
    this.scheduleHeartbeat();
    if (this.options.live !== false) {
      this.live = new LiveConnection({
        url: this.client.url,
        token: () => this.client.accessToken(),
        invalidate: (token) => this.client.tokens.invalidate(token),
        onWake: (wake) => this.wake(wake),
        onEvent: (event) => this.onEvent(event),
        onError: (error) => this.report(error),
      });
      // Without the live push the agent still works, by polling: say so rather than fail.
      await this.live.connect().catch((error: unknown) => this.report(toCoded(error)));
    }
    return this.identity;
  }

  /** The best mission for this agent, claimed, its lease renewed from now on; null for none. */
  async nextMission(): Promise<ClaimedMission | null> {
    const mission = await this.client.nextMission(this.workspaceId, {
      signal: this.stopController.signal,
    });
    if (mission) {
      this.hold(mission);
    }
    return mission;
  }

  /**
   * Resolves when there may be work: a wake pushed by the server (one that came while nobody was
   * waiting counts), or after `pollIntervalMs` without one, or at once after stop().
   */
  waitForWork(options: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<WorkSignal> {
    if (this.pendingWake) {
      const wake = this.pendingWake;
      this.pendingWake = null;
      return Promise.resolve(wake);
    }
    const timeoutMs = options.timeoutMs ?? this.options.pollIntervalMs ?? 30_000;
    return new Promise<WorkSignal>((resolve) => {
      const done = (signal: WorkSignal) => {
        clearTimeout(timer);
        this.wakeWaiters.delete(done);
        options.signal?.removeEventListener('abort', onAbort);
        this.stopController.signal.removeEventListener('abort', onAbort);
        resolve(signal);
      };
      const onAbort = () => done({ reason: 'poll' });
      const timer = setTimeout(() => done({ reason: 'poll' }), timeoutMs);
      this.wakeWaiters.add(done);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.stopController.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Starts a run of a mission the agent holds. */
  async startRun(mission: ClaimedMission, input: StartRunInput): Promise<RunHandle> {
    const state = await this.client.startRun(this.workspaceId, mission.id, input);
    const run = new RunHandle(this.client, state, mission, {
      flushAfterMs: this.options.logFlushMs,
      logLimits: this.options.logLimits,
      onError: (error) => this.report(toCoded(error)),
      onSettled: (settled) => {
        this.runs.delete(settled);
        // The work under this claim is over: the lease needs no more renewing.
        this.unhold(settled.mission.id);
      },
    });
    this.runs.add(run);
    return run;
  }

  /**
   * Spawns a sub-agent of this agent: active, with its own key and `expiresAt` (after `ttlSeconds`,
   * or sooner if this agent stops). Its runs count against this agent's budgets. Start it with
   * `new AgentSession({ url, agentKey: child.key })`; its key is shown only here.
   */
  async spawnSubAgent(input: {
    name: string;
    ttlSeconds: number;
    role?: string;
    capabilities?: string[];
    model?: string;
    provider?: string;
  }): Promise<{ key: string; expiresAt: Date; agent: SpawnedSubAgent['agent'] }> {
    const spawned = await this.client.spawnSubAgent(input, { signal: this.stopController.signal });
    return { key: spawned.key, expiresAt: new Date(spawned.expiresAt), agent: spawned.agent };
  }

  /** Gives a held mission back to the queue; a run of it ends abandoned. */
  async release(missionId: string): Promise<void> {
    this.unhold(missionId);
    await this.client.releaseMission(this.workspaceId, missionId);
  }

  /**
   * Stops heartbeating and renewing leases, sends every run's remaining log and closes the live
   * connection. Claims are left to end by themselves (release them first to hand them back now).
   */
  async stop(): Promise<void> {
    this.stopController.abort(
      new MissionControlError({ code: 'NETWORK_ERROR', message: 'The agent session stopped' }),
    );
    clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    for (const missionId of [...this.held.keys()]) {
      this.unhold(missionId);
    }
    await Promise.all([...this.runs].map((run) => run.close()));
    this.live?.close();
    this.live = null;
    this.started = false;
  }

  private scheduleHeartbeat(): void {
    const every = this.options.heartbeatIntervalMs ?? 30_000;
    this.heartbeatTimer = setTimeout(() => {
      void this.heartbeat().finally(() => {
        if (this.started) {
          this.scheduleHeartbeat();
        }
      });
    }, every);
  }

  private async heartbeat(): Promise<void> {
    const status: HeartbeatStatus = this.runs.size > 0 ? 'BUSY' : 'IDLE';
    try {
      this.identity = await this.client.heartbeat(status, this.options.activity, {
        signal: this.stopController.signal,
        // A missed beat is made up by the next one; the limit is 6 a minute.
        retry: { attempts: 2 },
      });
    } catch (error) {
      if (!this.stopController.signal.aborted) {
        this.report(toCoded(error));
      }
    }
  }

  private hold(mission: ClaimedMission): void {
    this.unhold(mission.id);
    const held: Held = { mission, timer: undefined };
    this.held.set(mission.id, held);
    this.scheduleRenewal(held);
  }

  private unhold(missionId: string): void {
    const held = this.held.get(missionId);
    clearTimeout(held?.timer);
    this.held.delete(missionId);
  }

  private scheduleRenewal(held: Held): void {
    const expiresAt = held.mission.leaseExpiresAt ? Date.parse(held.mission.leaseExpiresAt) : NaN;
    const remaining = Number.isFinite(expiresAt) ? expiresAt - Date.now() : 60_000;
    const every =
      this.options.leaseRenewIntervalMs ?? Math.max(1_000, Math.min(60_000, remaining / 3));
    held.timer = setTimeout(() => void this.renew(held), every);
  }

  private async renew(held: Held): Promise<void> {
    if (this.held.get(held.mission.id) !== held) {
      return;
    }
    try {
      const lease = await this.client.renewLease(this.workspaceId, held.mission.id, {
        signal: this.stopController.signal,
      });
      held.mission = { ...held.mission, leaseExpiresAt: lease.leaseExpiresAt };
      if (this.held.get(held.mission.id) === held) {
        this.scheduleRenewal(held);
      }
    } catch (error) {
      if (this.stopController.signal.aborted) {
        return;
      }
      const coded = toCoded(error);
      this.report(coded);
      if (isMissionControlError(coded, 'CONFLICT')) {
        // The lease lapsed or the claim ended: the work must stop, another agent may take it.
        this.unhold(held.mission.id);
        for (const run of this.runs) {
          if (run.mission.id === held.mission.id) {
            run.end(coded);
          }
        }
      } else if (this.held.get(held.mission.id) === held) {
        this.scheduleRenewal(held);
      }
    }
  }

  private wake(wake: Wake): void {
    const [waiter] = this.wakeWaiters;
    if (waiter) {
      for (const each of [...this.wakeWaiters]) {
        each(wake);
      }
    } else {
      // Nobody waits now: the next waitForWork answers at once.
      this.pendingWake = wake.reason === 'assigned' ? wake : (this.pendingWake ?? wake);
    }
  }

  private onEvent(event: LiveEvent): void {
    for (const run of this.runs) {
      run.handleEvent(event);
    }
  }

  private report(error: MissionControlError): void {
    this.options.onError?.(error);
  }
}
