import { ErrorCode } from '@mission-control/errors';
import { restRoute, type RestRoute } from './rest-route';
import * as s from './rest-schemas';

// The fields of each answer, as the schemas in rest-schemas.ts describe them.
const AGENT = `id workspaceId name role capabilities model provider status activity lastHeartbeatAt
  version createdAt updatedAt`;
const MISSION = `id workspaceId title description priority tags column rank assigneeAgentId
  claimedBy claimEpoch leaseExpiresAt claimedAt createdBy version createdAt updatedAt`;
const COMMENT = 'id missionId author authorKind body mentions createdAt';
const PAGE = `column totalCount pageInfo { endCursor hasNextPage } missions { ${MISSION} }`;
const RUN = `id workspaceId missionId agentId adapter model provider billing status summary
  inputTokens outputTokens cachedInputTokens costUsd costEstimated unpricedReports logLines
  budgetId progressNote progressPercent startedAt finishedAt updatedAt`;

const { NOT_FOUND, FORBIDDEN, CONFLICT, UNAUTHENTICATED } = ErrorCode;
const MEMBER = [UNAUTHENTICATED, FORBIDDEN, NOT_FOUND];
const WRITE = [...MEMBER, CONFLICT];

/** The one field an operation answers. */
const field =
  (name: string) =>
  (data: Record<string, unknown> | null): unknown =>
    data?.[name];

/** The operation's variables without the keys a request left out (GraphQL defaults apply). */
const defined = (variables: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined));

export const restRoutes = {
  exchangeAgentKey: restRoute({
    operationId: 'exchangeAgentKey',
    method: 'post',
    path: '/auth/agent-token',
    tag: 'Auth',
    summary: 'Trade an agent key for a 15-minute access token',
    description:
      'A key works a moment after it is issued: retry an UNAUTHENTICATED for a few seconds.',
    authenticated: false,
    idempotent: false,
    request: { body: s.KeyExchangeBody },
    response: { status: 200, description: 'An access token', schema: s.AccessToken },
    errors: [UNAUTHENTICATED],
    operation: ({ body }) => ({
      query: `mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken accessTokenExpiresAt } }`,
      variables: { key: body.key },
    }),
    respond: field('exchangeAgentKey'),
  }),

  exchangeApiKey: restRoute({
    operationId: 'exchangeApiKey',
    method: 'post',
    path: '/auth/api-key-token',
    tag: 'Auth',
    summary: 'Trade an API key for a 15-minute access token',
    authenticated: false,
    idempotent: false,
    request: { body: s.KeyExchangeBody },
    response: { status: 200, description: 'An access token', schema: s.AccessToken },
    errors: [UNAUTHENTICATED],
    operation: ({ body }) => ({
      query: `mutation ($key: String!) { exchangeApiKey(key: $key) { accessToken accessTokenExpiresAt } }`,
      variables: { key: body.key },
    }),
    respond: field('exchangeApiKey'),
  }),

  whoami: restRoute({
    operationId: 'whoami',
    method: 'get',
    path: '/me',
    tag: 'Agents',
    summary: 'Who the token speaks for: an agent with its record, a person, or an API key',
    authenticated: true,
    idempotent: false,
    request: {},
    response: { status: 200, description: 'The caller', schema: s.Whoami },
    errors: [UNAUTHENTICATED, NOT_FOUND],
    operation: (_input, principal) => {
      if (principal?.kind === 'agent' && principal.workspaceId !== null) {
        return {
          query: `query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { ${AGENT} } }`,
          variables: { ws: principal.workspaceId, id: principal.subject },
        };
      }
      return principal?.kind === 'user'
        ? { query: `query { me { id email name createdAt } }`, variables: {} }
        : null;
    },
    respond: (data, principal) => ({
      kind: principal?.kind,
      id: principal?.subject,
      workspaceId: principal?.workspaceId ?? null,
      role: principal?.role ?? null,
      scopes: principal?.scopes ?? null,
      ...(data?.agent ? { agent: data.agent } : {}),
      ...(data?.me ? { user: data.me } : {}),
    }),
  }),

  heartbeat: restRoute({
    operationId: 'heartbeat',
    method: 'post',
    path: '/heartbeat',
    tag: 'Agents',
    summary: 'The calling agent is alive (6 a minute at most)',
    description:
      'Heartbeat when the agent starts, before asking for work: while it heartbeats, its claims’ ' +
      'leases are extended.',
    authenticated: true,
    idempotent: false,
    request: { body: s.HeartbeatBody },
    response: { status: 200, description: 'The agent', schema: s.Agent },
    errors: [UNAUTHENTICATED, FORBIDDEN],
    operation: ({ body }) => ({
      query: `mutation ($status: HeartbeatStatus!, $activity: String) {
        heartbeat(status: $status, activity: $activity) { ${AGENT} } }`,
      variables: defined({ status: body.status, activity: body.activity }),
    }),
    respond: field('heartbeat'),
  }),

  listAgents: restRoute({
    operationId: 'listAgents',
    method: 'get',
    path: '/workspaces/{workspaceId}/agents',
    tag: 'Agents',
    summary: 'The agents of the workspace',
    authenticated: true,
    idempotent: false,
    request: { params: s.WorkspaceParams },
    response: { status: 200, description: 'Agents', schema: s.Agent.array() },
    errors: MEMBER,
    operation: ({ params }) => ({
      query: `query ($ws: ID!) { agents(workspaceId: $ws) { ${AGENT} } }`,
      variables: { ws: params.workspaceId },
    }),
    respond: field('agents'),
  }),

  getAgent: restRoute({
    operationId: 'getAgent',
    method: 'get',
    path: '/workspaces/{workspaceId}/agents/{agentId}',
    tag: 'Agents',
    summary: 'One agent',
    authenticated: true,
    idempotent: false,
    request: { params: s.AgentParams },
    response: { status: 200, description: 'The agent', schema: s.Agent },
    errors: MEMBER,
    operation: ({ params }) => ({
      query: `query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { ${AGENT} } }`,
      variables: { ws: params.workspaceId, id: params.agentId },
    }),
    respond: field('agent'),
  }),

  getBoard: restRoute({
    operationId: 'getBoard',
    method: 'get',
    path: '/workspaces/{workspaceId}/board',
    tag: 'Missions',
    summary: 'Every column with its missions in rank order',
    authenticated: true,
    idempotent: false,
    request: { params: s.WorkspaceParams, query: s.BoardQuery },
    response: { status: 200, description: 'The board', schema: s.Board },
    errors: MEMBER,
    operation: ({ params, query }) => ({
      query: `query ($ws: ID!, $perColumn: Int) { board(workspaceId: $ws, perColumn: $perColumn) {
        workspaceId columns { ${PAGE} } } }`,
      variables: defined({ ws: params.workspaceId, perColumn: query.perColumn }),
    }),
    respond: field('board'),
  }),

  listMissions: restRoute({
    operationId: 'listMissions',
    method: 'get',
    path: '/workspaces/{workspaceId}/missions',
    tag: 'Missions',
    summary: 'The missions of one column, a page at a time',
    description:
      'Pass `pageInfo.endCursor` back as `after` for the next page. A cursor is a position in ' +
      'the column, not a snapshot.',
    authenticated: true,
    idempotent: false,
    request: { params: s.WorkspaceParams, query: s.MissionListQuery },
    response: { status: 200, description: 'A page of missions', schema: s.MissionPage },
    errors: MEMBER,
    operation: ({ params, query }) => ({
      query: `query ($ws: ID!, $column: BoardColumn!, $first: Int!, $after: String) {
        boardColumn(workspaceId: $ws, column: $column, first: $first, after: $after) { ${PAGE} } }`,
      variables: defined({
        ws: params.workspaceId,
        column: query.column,
        first: query.first,
        after: query.after,
      }),
    }),
    respond: field('boardColumn'),
  }),

  getMission: restRoute({
    operationId: 'getMission',
    method: 'get',
    path: '/workspaces/{workspaceId}/missions/{missionId}',
    tag: 'Missions',
    summary: 'One mission with its comments',
    authenticated: true,
    idempotent: false,
    request: { params: s.MissionParams },
    response: { status: 200, description: 'The mission', schema: s.MissionWithComments },
    errors: MEMBER,
    operation: ({ params }) => ({
      query: `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) {
        ${MISSION} comments { ${COMMENT} } } }`,
      variables: { ws: params.workspaceId, id: params.missionId },
    }),
    respond: field('mission'),
  }),

  createMission: restRoute({
    operationId: 'createMission',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions',
    tag: 'Missions',
    summary: 'Create a mission',
    authenticated: true,
    idempotent: false,
    request: { params: s.WorkspaceParams, body: s.CreateMissionBody },
    response: { status: 201, description: 'The new mission', schema: s.Mission },
    errors: MEMBER,
    operation: ({ params, body }) => ({
      query: `mutation ($ws: ID!, $input: CreateMissionInput!) {
        createMission(workspaceId: $ws, input: $input) { ${MISSION} } }`,
      variables: { ws: params.workspaceId, input: defined(body) },
    }),
    respond: field('createMission'),
  }),

  moveMission: restRoute({
    operationId: 'moveMission',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/{missionId}/move',
    tag: 'Missions',
    summary: 'Move a mission to a column, after `afterId` and/or before `beforeId`, or at its end',
    authenticated: true,
    idempotent: false,
    request: { params: s.MissionParams, body: s.MoveMissionBody },
    response: { status: 200, description: 'The mission', schema: s.Mission },
    errors: WRITE,
    operation: ({ params, body }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $column: BoardColumn!, $beforeId: ID, $afterId: ID) {
        moveMission(workspaceId: $ws, missionId: $id, column: $column, beforeId: $beforeId, afterId: $afterId) {
          ${MISSION} } }`,
      variables: defined({ ws: params.workspaceId, id: params.missionId, ...body }),
    }),
    respond: field('moveMission'),
  }),

  addComment: restRoute({
    operationId: 'addComment',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/{missionId}/comments',
    tag: 'Missions',
    summary: 'Comment on a mission (`@name` mentions)',
    authenticated: true,
    idempotent: false,
    request: { params: s.MissionParams, body: s.CommentBody },
    response: { status: 201, description: 'The comment', schema: s.MissionComment },
    errors: MEMBER,
    operation: ({ params, body }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $body: String!) {
        addComment(workspaceId: $ws, missionId: $id, body: $body) { ${COMMENT} } }`,
      variables: { ws: params.workspaceId, id: params.missionId, body: body.body },
    }),
    respond: field('addComment'),
  }),

  nextMission: restRoute({
    operationId: 'nextMission',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/next',
    tag: 'Missions',
    summary: 'Take the best mission this agent may: assigned to it and claimed, in one step',
    description:
      'Its own assigned missions first, then unassigned ones in To do by priority. However ' +
      'many agents ask at once, each mission goes to one. `mission: null`: nothing for it now.',
    authenticated: true,
    idempotent: true,
    request: { params: s.WorkspaceParams },
    response: { status: 200, description: 'The claimed mission, or null', schema: s.NextMission },
    errors: WRITE,
    operation: ({ params, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $idempotencyKey: String) {
        nextMission(workspaceId: $ws, idempotencyKey: $idempotencyKey) { ${MISSION} } }`,
      variables: defined({ ws: params.workspaceId, idempotencyKey }),
    }),
    respond: (data) => ({ mission: data?.nextMission ?? null }),
  }),

  claimMission: restRoute({
    operationId: 'claimMission',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/{missionId}/claim',
    tag: 'Missions',
    summary: 'Claim a mission assigned to this agent (a lease and a fencing epoch come with it)',
    authenticated: true,
    idempotent: false,
    request: { params: s.MissionParams },
    response: { status: 200, description: 'The claimed mission', schema: s.Mission },
    errors: WRITE,
    operation: ({ params }) => ({
      query: `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { ${MISSION} } }`,
      variables: { ws: params.workspaceId, id: params.missionId },
    }),
    respond: field('claimMission'),
  }),

  releaseMission: restRoute({
    operationId: 'releaseMission',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/{missionId}/release',
    tag: 'Missions',
    summary: 'Give a claimed mission back (to To do, unassigned); its run ends ABANDONED',
    authenticated: true,
    idempotent: true,
    request: { params: s.MissionParams },
    response: { status: 200, description: 'The mission', schema: s.Mission },
    errors: WRITE,
    operation: ({ params, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $idempotencyKey: String) {
        releaseMission(workspaceId: $ws, missionId: $id, idempotencyKey: $idempotencyKey) { ${MISSION} } }`,
      variables: defined({ ws: params.workspaceId, id: params.missionId, idempotencyKey }),
    }),
    respond: field('releaseMission'),
  }),

  renewLease: restRoute({
    operationId: 'renewLease',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/{missionId}/lease',
    tag: 'Missions',
    summary: 'Renew the claim’s lease (CONFLICT once it lapsed: ask for work again)',
    authenticated: true,
    idempotent: false,
    request: { params: s.MissionParams },
    response: { status: 200, description: 'The mission', schema: s.Mission },
    errors: WRITE,
    operation: ({ params }) => ({
      query: `mutation ($ws: ID!, $id: ID!) { renewLease(workspaceId: $ws, missionId: $id) { ${MISSION} } }`,
      variables: { ws: params.workspaceId, id: params.missionId },
    }),
    respond: field('renewLease'),
  }),

  startRun: restRoute({
    operationId: 'startRun',
    method: 'post',
    path: '/workspaces/{workspaceId}/missions/{missionId}/runs',
    tag: 'Runs',
    summary: 'Start a run of a mission this agent holds the claim of',
    authenticated: true,
    idempotent: true,
    request: { params: s.MissionParams, body: s.StartRunBody },
    response: { status: 201, description: 'The run', schema: s.Run },
    errors: [...WRITE, ErrorCode.LIMIT_EXCEEDED],
    operation: ({ params, body, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $input: StartRunInput!, $idempotencyKey: String) {
        startRun(workspaceId: $ws, missionId: $id, input: $input, idempotencyKey: $idempotencyKey) { ${RUN} } }`,
      variables: defined({
        ws: params.workspaceId,
        id: params.missionId,
        input: defined(body),
        idempotencyKey,
      }),
    }),
    respond: field('startRun'),
  }),

  getRun: restRoute({
    operationId: 'getRun',
    method: 'get',
    path: '/workspaces/{workspaceId}/runs/{runId}',
    tag: 'Runs',
    summary: 'One run, with a page of its log by position',
    authenticated: true,
    idempotent: false,
    request: { params: s.RunParams, query: s.RunLogQuery },
    response: { status: 200, description: 'The run and its log lines', schema: s.RunWithLog },
    errors: MEMBER,
    operation: ({ params, query }) => ({
      query: `query ($ws: ID!, $id: ID!, $after: Int!, $first: Int!) { run(workspaceId: $ws, id: $id) {
        ${RUN} log(after: $after, first: $first) { lines { position stream text loggedAt } hasMore } } }`,
      variables: {
        ws: params.workspaceId,
        id: params.runId,
        after: query.after,
        first: query.first,
      },
    }),
    respond: field('run'),
  }),

  appendRunLog: restRoute({
    operationId: 'appendRunLog',
    method: 'post',
    path: '/workspaces/{workspaceId}/runs/{runId}/log',
    tag: 'Runs',
    summary: 'Append lines to the run’s log; each gets the next position',
    authenticated: true,
    idempotent: true,
    request: { params: s.RunParams, body: s.AppendLogBody },
    response: { status: 200, description: 'The positions given', schema: s.RunLogAppended },
    errors: WRITE,
    operation: ({ params, body, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $lines: [RunLogLineInput!]!, $idempotencyKey: String) {
        appendRunLog(workspaceId: $ws, runId: $id, lines: $lines, idempotencyKey: $idempotencyKey) {
          firstPosition lastPosition } }`,
      variables: defined({
        ws: params.workspaceId,
        id: params.runId,
        lines: body.lines.map(defined),
        idempotencyKey,
      }),
    }),
    respond: field('appendRunLog'),
  }),

  reportRunUsage: restRoute({
    operationId: 'reportRunUsage',
    method: 'post',
    path: '/workspaces/{workspaceId}/runs/{runId}/usage',
    tag: 'Runs',
    summary: 'Report tokens spent (priced on the server unless costUsd is given)',
    authenticated: true,
    idempotent: true,
    request: { params: s.RunParams, body: s.UsageBody },
    response: { status: 200, description: 'The run', schema: s.Run },
    errors: WRITE,
    operation: ({ params, body, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $input: RunUsageInput!, $idempotencyKey: String) {
        reportRunUsage(workspaceId: $ws, runId: $id, input: $input, idempotencyKey: $idempotencyKey) { ${RUN} } }`,
      variables: defined({
        ws: params.workspaceId,
        id: params.runId,
        input: defined(body),
        idempotencyKey,
      }),
    }),
    respond: field('reportRunUsage'),
  }),

  noteRunProgress: restRoute({
    operationId: 'noteRunProgress',
    method: 'post',
    path: '/workspaces/{workspaceId}/runs/{runId}/progress',
    tag: 'Runs',
    summary: 'Say where the run has got to (a note, and a percentage when known)',
    authenticated: true,
    idempotent: true,
    request: { params: s.RunParams, body: s.ProgressBody },
    response: { status: 200, description: 'The run', schema: s.Run },
    errors: WRITE,
    operation: ({ params, body, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $note: String!, $percent: Int, $idempotencyKey: String) {
        noteRunProgress(workspaceId: $ws, runId: $id, note: $note, percent: $percent, idempotencyKey: $idempotencyKey) {
          ${RUN} } }`,
      variables: defined({
        ws: params.workspaceId,
        id: params.runId,
        note: body.note,
        percent: body.percent,
        idempotencyKey,
      }),
    }),
    respond: field('noteRunProgress'),
  }),

  finishRun: restRoute({
    operationId: 'finishRun',
    method: 'post',
    path: '/workspaces/{workspaceId}/runs/{runId}/finish',
    tag: 'Runs',
    summary: 'End the run with its outcome, once',
    authenticated: true,
    idempotent: true,
    request: { params: s.RunParams, body: s.FinishRunBody },
    response: { status: 200, description: 'The run', schema: s.Run },
    errors: WRITE,
    operation: ({ params, body, idempotencyKey }) => ({
      query: `mutation ($ws: ID!, $id: ID!, $outcome: RunOutcome!, $summary: String, $idempotencyKey: String) {
        finishRun(workspaceId: $ws, runId: $id, outcome: $outcome, summary: $summary, idempotencyKey: $idempotencyKey) {
          ${RUN} } }`,
      variables: defined({
        ws: params.workspaceId,
        id: params.runId,
        outcome: body.outcome,
        summary: body.summary,
        idempotencyKey,
      }),
    }),
    respond: field('finishRun'),
  }),
} satisfies Record<string, RestRoute>;

export type RestRouteName = keyof typeof restRoutes;
