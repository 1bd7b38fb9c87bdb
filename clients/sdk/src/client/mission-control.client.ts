import { randomUUID } from 'node:crypto';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { AgentTokenSource } from '../auth/agent-token-source';
import { MissionControlError } from '../errors/mission-control.error';
import {
  AppendRunLogDocument,
  type ClaimedMissionFragment,
  ExchangeAgentKeyDocument,
  FinishRunDocument,
  HeartbeatDocument,
  type HeartbeatMutation,
  type HeartbeatStatus,
  NextMissionDocument,
  NoteRunProgressDocument,
  type NoteRunProgressMutation,
  ReleaseMissionDocument,
  type ReleaseMissionMutation,
  RenewLeaseDocument,
  type RenewLeaseMutation,
  ReportRunUsageDocument,
  type RunLogLineInput,
  type RunOutcome,
  type RunStateFragment,
  RunStatusDocument,
  type RunStatusQuery,
  type RunUsageInput,
  type StartRunInput,
  StartRunDocument,
  type FinishRunMutation,
  type AppendRunLogMutation,
  type BoardColumn,
  MoveMissionDocument,
  type MoveMissionMutation,
  type HostSampleInput,
  type ReportHostInput,
  ReportHostDocument,
  ReportHostSampleDocument,
  type RuntimeHostFragment,
  SpawnSubAgentDocument,
  type SpawnSubAgentInput,
  type SpawnSubAgentMutation,
} from '../graphql/generated';
import { type RetryPolicy, withRetries } from '../retry/retry-policy';
import { type FetchLike, GraphQLTransport } from '../transport/graphql-transport';

export type MissionControlClientOptions = {
  /** The gateway's origin, e.g. `http://127.0.0.1:4000` (GraphQL at /graphql, live push beside it). */
  url: string;
  /** The agent's key from issueAgentKey (`mc_…`); a secret: it is never logged. */
  agentKey: string;
  retry?: Partial<RetryPolicy>;
  /** A token is replaced this long before it expires (default 60 s). */
  refreshBeforeMs?: number;
  /** How long a newly issued key's UNAUTHENTICATED is waited out (default 10 s). */
  newKeyGraceMs?: number;
  fetch?: FetchLike;
  userAgent?: string;
};

export type RequestOptions = { signal?: AbortSignal; retry?: Partial<RetryPolicy> };

export type AgentIdentity = HeartbeatMutation['heartbeat'];
export type ClaimedMission = ClaimedMissionFragment;
export type RunState = RunStateFragment;
export type LeaseState = RenewLeaseMutation['renewLease'];
export type RunDetails = RunStatusQuery['run'];
export type LogChunkPositions = AppendRunLogMutation['appendRunLog'];
export type FinishedRun = FinishRunMutation['finishRun'];
export type RuntimeHost = RuntimeHostFragment;
export type SpawnedSubAgent = SpawnSubAgentMutation['spawnSubAgent'];

/** A key for one write, sent again unchanged with every retry of it. */
export const idempotencyKey = (): string => randomUUID();

/**
 * GraphQL for an agent: its token exchanged from its key and refreshed before it expires, one
 * re-exchange when the server refuses a token, and retries with backoff for what may succeed
 * later, every retried write under the same idempotency key.
 */
export class MissionControlClient {
  readonly url: string;
  readonly tokens: AgentTokenSource;
  private readonly transport: GraphQLTransport;
  private readonly retryPolicy: Partial<RetryPolicy>;

  constructor(options: MissionControlClientOptions) {
    this.url = options.url;
    this.transport = new GraphQLTransport(options.url, options.fetch, options.userAgent);
    this.retryPolicy = options.retry ?? {};
    const { agentKey } = options;
    this.tokens = new AgentTokenSource({
      refreshBeforeMs: options.refreshBeforeMs,
      newKeyGraceMs: options.newKeyGraceMs,
      exchange: async () => {
        const { exchangeAgentKey } = await withRetries(
          () => this.transport.execute(ExchangeAgentKeyDocument, { variables: { key: agentKey } }),
          { policy: this.retryPolicy },
        );
        return {
          accessToken: exchangeAgentKey.accessToken,
          expiresAt: Date.parse(exchangeAgentKey.accessTokenExpiresAt),
        };
      },
    });
  }

  /** A valid access token (for a live connection); exchanged or refreshed as needed. */
  accessToken(): Promise<string> {
    return this.tokens.token();
  }

  /**
   * Any operation of the graph as the agent, typed by its document. Retried as a whole: pass the
   * same variables (with one idempotency key) for every attempt, as the methods below do.
   */
  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    options: RequestOptions = {},
  ): Promise<TResult> {
    return withRetries(() => this.authenticated(document, variables, options.signal), {
      policy: { ...this.retryPolicy, ...options.retry },
      signal: options.signal,
    });
  }

  /** One attempt; a refused token is exchanged again once and the request sent once more. */
  private async authenticated<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
    signal: AbortSignal | undefined,
  ): Promise<TResult> {
    const token = await this.tokens.token();
    try {
      return await this.transport.execute(document, { variables, token, signal });
    } catch (error) {
      if (!(error instanceof MissionControlError) || error.code !== 'UNAUTHENTICATED') {
        throw error;
      }
      this.tokens.invalidate(token);
      const fresh = await this.tokens.token();
      return this.transport.execute(document, { variables, token: fresh, signal });
    }
  }

  /** The agent is alive; answers who it is and in which workspace. */
  async heartbeat(
    status: HeartbeatStatus,
    activity?: string,
    options?: RequestOptions,
  ): Promise<AgentIdentity> {
    const data = await this.request(HeartbeatDocument, { status, activity }, options);
    return data.heartbeat;
  }

  /** The best mission the agent may take, claimed for it, or null when there is none. */
  async nextMission(workspaceId: string, options?: RequestOptions): Promise<ClaimedMission | null> {
    const data = await this.request(
      NextMissionDocument,
      { workspaceId, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.nextMission;
  }

  async renewLease(
    workspaceId: string,
    missionId: string,
    options?: RequestOptions,
  ): Promise<LeaseState> {
    const data = await this.request(RenewLeaseDocument, { workspaceId, missionId }, options);
    return data.renewLease;
  }

  async releaseMission(
    workspaceId: string,
    missionId: string,
    options?: RequestOptions,
  ): Promise<ReleaseMissionMutation['releaseMission']> {
    const data = await this.request(
      ReleaseMissionDocument,
      { workspaceId, missionId, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.releaseMission;
  }

  /**
   * Registers the host this agent runs on (a runner calls it at start and when something changed)
   * and places the agent on it; the same report again changes nothing. `hostKey` is the runner's
   * own stable key for the host. Use the returned host's id for {@link reportHostSample}.
   */
  async reportHost(
    workspaceId: string,
    input: ReportHostInput,
    options?: RequestOptions,
  ): Promise<RuntimeHost> {
    const data = await this.request(ReportHostDocument, { workspaceId, input }, options);
    return data.reportHost;
  }

  /**
   * One sample of the host's CPU, memory and disk use (every 15 s is usual), which keeps it
   * online; the agent must be on the host (reportHost first). Rate limited per host: a
   * LIMIT_EXCEEDED error carries the seconds to wait.
   */
  async reportHostSample(
    workspaceId: string,
    hostId: string,
    input: HostSampleInput,
    options?: RequestOptions,
  ): Promise<RuntimeHost> {
    const data = await this.request(
      ReportHostSampleDocument,
      { workspaceId, hostId, input },
      options,
    );
    return data.reportHostSample;
  }

  /**
   * A sub-agent of the calling agent (PRODUCT A4): active, with its own key (shown once) that stops
   * working at `expiresAt` or when this agent stops. Start its own session with that key. Sent
   * once, never retried: a retry could spawn a second child.
   */
  async spawnSubAgent(
    input: SpawnSubAgentInput,
    options?: RequestOptions,
  ): Promise<SpawnedSubAgent> {
    const data = await this.request(
      SpawnSubAgentDocument,
      { input },
      { ...options, retry: { ...options?.retry, attempts: 1 } },
    );
    return data.spawnSubAgent;
  }

  /** Moves a mission the agent claimed to another column (e.g. DONE when its work is done). */
  async moveMission(
    workspaceId: string,
    missionId: string,
    column: BoardColumn,
    options?: RequestOptions,
  ): Promise<MoveMissionMutation['moveMission']> {
    const data = await this.request(
      MoveMissionDocument,
      { workspaceId, missionId, column },
      options,
    );
    return data.moveMission;
  }

  async startRun(
    workspaceId: string,
    missionId: string,
    input: StartRunInput,
    options?: RequestOptions,
  ): Promise<RunState> {
    const data = await this.request(
      StartRunDocument,
      { workspaceId, missionId, input, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.startRun;
  }

  /** One chunk of log lines (at most 500 lines and 262,144 characters; see LogBatcher). */
  async appendRunLog(
    workspaceId: string,
    runId: string,
    lines: RunLogLineInput[],
    options?: RequestOptions,
  ): Promise<LogChunkPositions> {
    const data = await this.request(
      AppendRunLogDocument,
      { workspaceId, runId, lines, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.appendRunLog;
  }

  async reportRunUsage(
    workspaceId: string,
    runId: string,
    input: RunUsageInput,
    options?: RequestOptions,
  ): Promise<RunState> {
    const data = await this.request(
      ReportRunUsageDocument,
      { workspaceId, runId, input, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.reportRunUsage;
  }

  async noteRunProgress(
    workspaceId: string,
    runId: string,
    note: string,
    percent?: number,
    options?: RequestOptions,
  ): Promise<NoteRunProgressMutation['noteRunProgress']> {
    const data = await this.request(
      NoteRunProgressDocument,
      { workspaceId, runId, note, percent, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.noteRunProgress;
  }

  async finishRun(
    workspaceId: string,
    runId: string,
    outcome: RunOutcome,
    summary?: string,
    options?: RequestOptions,
  ): Promise<FinishedRun> {
    const data = await this.request(
      FinishRunDocument,
      { workspaceId, runId, outcome, summary, idempotencyKey: idempotencyKey() },
      options,
    );
    return data.finishRun;
  }

  async run(workspaceId: string, runId: string, options?: RequestOptions): Promise<RunDetails> {
    const data = await this.request(RunStatusDocument, { workspaceId, runId }, options);
    return data.run;
  }
}
