import { ErrorCode } from '@mission-control/errors';
import { z } from 'zod';

/**
 * The shapes of REST v1: what the routes validate requests with and what the OpenAPI document
 * says they answer. Each mirrors a type of the supergraph (rest-schemas.spec.ts holds the enums to
 * it); `.meta({ id })` makes it a named component of the document.
 */

/** GraphQL's Int is 32 bits: a larger number is refused here, naming the field. */
const GRAPHQL_INT_MAX = 2_147_483_647;
const tokens = z.int().min(0).max(GRAPHQL_INT_MAX);

const id = (description: string) => z.string().min(1).max(200).meta({ description });
const dateTime = z.iso.datetime({ offset: true });

export const BoardColumn = z
  .enum(['BACKLOG', 'TODO', 'IN_PROGRESS', 'REVIEW', 'DONE', 'BLOCKED'])
  .meta({ id: 'BoardColumn' });
export const MissionPriority = z
  .enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT'])
  .meta({ id: 'MissionPriority' });
export const AgentStatus = z
  .enum(['INACTIVE', 'IDLE', 'BUSY', 'OFFLINE', 'ERROR'])
  .meta({ id: 'AgentStatus' });
export const HeartbeatStatus = z.enum(['IDLE', 'BUSY', 'ERROR']).meta({ id: 'HeartbeatStatus' });
export const RunStatus = z
  .enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'ABANDONED'])
  .meta({ id: 'RunStatus' });
export const RunOutcome = z
  .enum(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'ABANDONED'])
  .meta({ id: 'RunOutcome' });
export const RunLogStream = z.enum(['STDOUT', 'STDERR', 'SYSTEM']).meta({ id: 'RunLogStream' });
export const RunBilling = z.enum(['METERED', 'SUBSCRIPTION']).meta({ id: 'RunBilling' });

/** The enums above by their GraphQL names. */
export const REST_ENUMS = {
  BoardColumn,
  MissionPriority,
  AgentStatus,
  HeartbeatStatus,
  RunStatus,
  RunOutcome,
  RunLogStream,
  RunBilling,
} as const;

// ── Answers ──────────────────────────────────────────────────────────────────────────────────

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.values(ErrorCode) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      requestId: z.string().meta({ description: 'Also in the x-request-id header.' }),
      retryable: z.boolean(),
      details: z.record(z.string(), z.unknown()).optional().meta({
        description: 'What the code needs said: the field, the limit, retryAfterSeconds…',
      }),
    }),
  })
  .meta({ id: 'Error' });

export const AccessToken = z
  .object({ accessToken: z.string(), accessTokenExpiresAt: dateTime })
  .meta({ id: 'AccessToken' });

export const Agent = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    role: z.string(),
    capabilities: z.array(z.string()),
    model: z.string(),
    provider: z.string(),
    status: AgentStatus,
    activity: z.string().nullable(),
    lastHeartbeatAt: dateTime.nullable(),
    version: z.int(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Agent' });

export const User = z
  .object({ id: z.string(), email: z.string(), name: z.string(), createdAt: dateTime })
  .meta({ id: 'User' });

export const Whoami = z
  .object({
    kind: z.enum(['user', 'agent', 'api_key']),
    id: z.string().meta({ description: 'The user, agent or API key id.' }),
    workspaceId: z.string().nullable(),
    role: z.string().nullable(),
    scopes: z.array(z.string()).nullable(),
    agent: Agent.optional(),
    user: User.optional(),
  })
  .meta({
    id: 'Whoami',
    description:
      'The principal of the token; `agent` when an agent calls, `user` when a person does.',
  });

export const MissionComment = z
  .object({
    id: z.string(),
    missionId: z.string(),
    author: z.string(),
    authorKind: z.string(),
    body: z.string(),
    mentions: z.array(z.string()),
    createdAt: dateTime,
  })
  .meta({ id: 'MissionComment' });

export const Mission = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    title: z.string(),
    description: z.string(),
    priority: MissionPriority,
    tags: z.array(z.string()),
    column: BoardColumn,
    rank: z.string(),
    assigneeAgentId: z.string().nullable(),
    claimedBy: z.string().nullable(),
    claimEpoch: z.int().meta({ description: 'Fencing epoch: one more with each claim.' }),
    leaseExpiresAt: dateTime.nullable(),
    claimedAt: dateTime.nullable(),
    createdBy: z.string(),
    version: z.int(),
    createdAt: dateTime,
    updatedAt: dateTime,
  })
  .meta({ id: 'Mission' });

export const MissionWithComments = Mission.extend({ comments: z.array(MissionComment) }).meta({
  id: 'MissionWithComments',
});

export const NextMission = z
  .object({
    mission: Mission.nullable().meta({ description: 'null: there is nothing for this agent.' }),
  })
  .meta({ id: 'NextMission' });

const PageInfo = z
  .object({ endCursor: z.string().nullable(), hasNextPage: z.boolean() })
  .meta({ id: 'PageInfo' });

export const MissionPage = z
  .object({
    column: BoardColumn,
    missions: z.array(Mission),
    totalCount: z.int(),
    pageInfo: PageInfo,
  })
  .meta({ id: 'MissionPage' });

export const Board = z
  .object({ workspaceId: z.string(), columns: z.array(MissionPage) })
  .meta({ id: 'Board' });

export const Run = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    missionId: z.string(),
    agentId: z.string(),
    adapter: z.string(),
    model: z.string(),
    provider: z.string(),
    billing: RunBilling,
    status: RunStatus,
    summary: z.string(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    cachedInputTokens: z.number(),
    costUsd: z.number(),
    costEstimated: z.boolean(),
    unpricedReports: z.int(),
    logLines: z.int(),
    budgetId: z.string().nullable(),
    progressNote: z.string(),
    progressPercent: z.int().nullable(),
    startedAt: dateTime,
    finishedAt: dateTime.nullable(),
    updatedAt: dateTime,
  })
  .meta({ id: 'Run' });

export const RunLogLine = z
  .object({ position: z.int(), stream: RunLogStream, text: z.string(), loggedAt: dateTime })
  .meta({ id: 'RunLogLine' });

export const RunWithLog = Run.extend({
  log: z.object({ lines: z.array(RunLogLine), hasMore: z.boolean() }),
}).meta({ id: 'RunWithLog' });

export const RunLogAppended = z
  .object({ firstPosition: z.int(), lastPosition: z.int() })
  .meta({ id: 'RunLogAppended' });

// ── Requests ─────────────────────────────────────────────────────────────────────────────────

export const WorkspaceParams = z.object({ workspaceId: id('The workspace acted in.') });
export const AgentParams = WorkspaceParams.extend({ agentId: id('An agent of the workspace.') });
export const MissionParams = WorkspaceParams.extend({
  missionId: id('A mission of the workspace.'),
});
export const RunParams = WorkspaceParams.extend({ runId: id('A run of the workspace.') });

/** Query strings arrive as text: numbers are read from it, and nothing else is. */
const count = (min: number, max: number, description: string) =>
  z.coerce.number().int().min(min).max(max).meta({ description });

export const MissionListQuery = z.object({
  column: BoardColumn,
  first: count(1, 200, 'Missions per page, 1–200.').default(50),
  after: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'The endCursor of the page before, unchanged.' }),
});

export const BoardQuery = z.object({
  perColumn: count(1, 200, 'Missions per column, 1–200; all of them when left out.').optional(),
});

export const RunLogQuery = z.object({
  after: count(0, GRAPHQL_INT_MAX, 'Log lines after this position.').default(0),
  first: count(1, 1000, 'Log lines to return, 1–1000.').default(500),
});

export const KeyExchangeBody = z.object({ key: z.string().min(1) }).meta({ id: 'KeyExchange' });

export const HeartbeatBody = z
  .object({ status: HeartbeatStatus, activity: z.string().optional() })
  .meta({ id: 'Heartbeat' });

export const CreateMissionBody = z
  .object({
    title: z.string(),
    description: z.string().optional(),
    priority: MissionPriority.optional(),
    tags: z.array(z.string()).optional(),
    column: BoardColumn.optional(),
  })
  .meta({ id: 'CreateMission' });

export const MoveMissionBody = z
  .object({
    column: BoardColumn,
    beforeId: z.string().min(1).optional(),
    afterId: z.string().min(1).optional(),
  })
  .meta({ id: 'MoveMission' });

export const CommentBody = z.object({ body: z.string() }).meta({ id: 'Comment' });

export const StartRunBody = z
  .object({
    adapter: z.string(),
    model: z.string(),
    provider: z.string(),
    billing: RunBilling.optional(),
  })
  .meta({ id: 'StartRun' });

export const AppendLogBody = z
  .object({
    lines: z
      .array(z.object({ stream: RunLogStream.optional(), text: z.string() }))
      .min(1)
      .meta({ description: 'Up to 500 lines and 256 KiB a call.' }),
  })
  .meta({ id: 'AppendLog' });

export const UsageBody = z
  .object({
    model: z.string(),
    inputTokens: tokens,
    outputTokens: tokens,
    cachedInputTokens: tokens.optional(),
    costUsd: z.number().min(0).optional(),
  })
  .meta({ id: 'Usage' });

export const ProgressBody = z
  .object({ note: z.string(), percent: z.int().min(0).max(100).optional() })
  .meta({ id: 'Progress' });

export const FinishRunBody = z
  .object({ outcome: RunOutcome, summary: z.string().optional() })
  .meta({ id: 'FinishRun' });

export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .min(8)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'printable characters without spaces')
    .optional()
    .meta({
      description:
        'Retried with the same key and input within 24 h, the write answers as the first time ' +
        'and is not done again (a UUID per request is a good key).',
    }),
});
