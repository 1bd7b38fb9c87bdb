import { validate as validateOpenApi, compileErrors } from '@readme/openapi-parser';
import { randomUUID } from 'node:crypto';
import type { OpenAPIV3_1 } from 'openapi-types';
import { GraphClient } from '../support/graph-client';
import { type Answer, type Call, RestClient } from '../support/rest-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { SquadWorld, type Agent } from '../support/squad-world';
import { startStack, type Stack } from '@mission-control/testing';

const ACTIVATE = `mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }`;
const ISSUE_KEY = `mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { key } }`;
const ASSIGN = `mutation ($ws: ID!, $id: ID!, $agent: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id }
}`;
const DEACTIVATE = `mutation ($ws: ID!, $id: ID!) { deactivateAgent(workspaceId: $ws, id: $id) { id } }`;

/** Low enough for the last test to spend it; every caller without a token shares it. */
const ANONYMOUS_PER_MINUTE = 400;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Mission = { id: string; title: string; column: string; claimEpoch: number };
type ErrorAnswer = {
  error: { code: string; message: string; requestId: string; details?: Record<string, unknown> };
};

describe('REST v1 over the graph, held to its OpenAPI document', () => {
  let stack: Stack;
  let graph: GraphClient;
  let rest: RestClient;
  let admin: Member;
  let agent: Agent & { key: string; token: string };

  beforeAll(async () => {
    stack = await startStack({
      gatewayEnv: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(ANONYMOUS_PER_MINUTE) },
    });
    graph = new GraphClient(stack.gatewayUrl);
    ({ rest } = await RestClient.of(stack.gatewayUrl));
    admin = await new IdentityWorld(graph).workspace(`rest-${Date.now()}`);
    // People set agents up in the web app or over GraphQL; REST v1 is the agent's side.
    const registered = await new SquadWorld(graph).agent(admin, 'Rest Scout');
    const ws = admin.workspaceId;
    await graph.ok(ACTIVATE, { ws, id: registered.id }, admin.workspaceToken);
    const { issueAgentKey } = await graph.ok<{ issueAgentKey: { key: string } }>(
      ISSUE_KEY,
      { ws, id: registered.id },
      admin.workspaceToken,
    );
    agent = { ...registered, key: issueAgentKey.key, token: '' };
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('serves a valid OpenAPI 3.1 document and a docs page that needs nothing from elsewhere', async () => {
    const document = (await (
      await fetch(`${stack.gatewayUrl}/api/v1/openapi.json`)
    ).json()) as OpenAPIV3_1.Document;
    const result = await validateOpenApi(document);
    expect(result.valid ? '' : compileErrors(result)).toBe('');
    expect(document.openapi).toBe('3.1.0');

    const page = await fetch(`${stack.gatewayUrl}/api/v1/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'(;|$)/);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    for (const asset of assets) {
      expect(asset).not.toMatch(/^(https?:)?\/\//);
      const served = await fetch(new URL(asset, `${stack.gatewayUrl}/api/v1/docs`));
      expect({ asset, status: served.status }).toEqual({ asset, status: 200 });
    }
  });

  it('runs an agent’s whole loop', async () => {
    const ws = admin.workspaceId;
    // A key works a moment after it is issued: the agent retries, as the document says.
    let exchanged: Answer<{ accessToken: string }> | undefined;
    for (let tries = 0; tries < 100; tries += 1) {
      exchanged = await rest.call('exchangeAgentKey', { body: { key: agent.key } });
      if (exchanged.status === 200) {
        break;
      }
      expect(exchanged.status).toBe(401);
      await sleep(100);
    }
    expect(exchanged?.status).toBe(200);
    agent.token = exchanged!.body.accessToken;
    const token = agent.token;

    const me = await rest.call<{ kind: string; id: string; agent: { name: string } }>('whoami', {
      token,
    });
    expect(me.body).toMatchObject({ kind: 'agent', id: agent.id, agent: { name: 'Rest Scout' } });
    const person = await rest.call<{ kind: string; user: { id: string } }>('whoami', {
      token: admin.workspaceToken,
    });
    expect(person.body).toMatchObject({ kind: 'user', user: { id: admin.userId } });

    const beat = await rest.call('heartbeat', {
      token,
      body: { status: 'IDLE', activity: 'starting up' },
    });
    expect(beat.body).toMatchObject({ id: agent.id, status: 'IDLE', activity: 'starting up' });
    const roster = await rest.call<{ id: string }[]>('listAgents', {
      token,
      params: { workspaceId: ws },
    });
    expect(roster.body.map((a) => a.id)).toContain(agent.id);
    expect(
      (await rest.call('getAgent', { token, params: { workspaceId: ws, agentId: agent.id } })).body,
    ).toMatchObject({ id: agent.id, name: 'Rest Scout' });

    // A person plans two missions; the agent pages through To do one at a time.
    const created: Mission[] = [];
    for (const title of ['Map the crater', 'Sample the regolith']) {
      const answer = await rest.call<Mission>('createMission', {
        token: admin.workspaceToken,
        params: { workspaceId: ws },
        body: { title, priority: 'HIGH', tags: ['rest'], column: 'TODO' },
      });
      expect(answer.status).toBe(201);
      created.push(answer.body);
    }
    const first = await rest.call<{
      missions: Mission[];
      totalCount: number;
      pageInfo: { endCursor: string; hasNextPage: boolean };
    }>('listMissions', {
      token,
      params: { workspaceId: ws },
      query: { column: 'TODO', first: '1' },
    });
    expect(first.body.totalCount).toBe(2);
    expect(first.body.pageInfo.hasNextPage).toBe(true);
    const second = await rest.call<{ missions: Mission[]; pageInfo: { hasNextPage: boolean } }>(
      'listMissions',
      {
        token,
        params: { workspaceId: ws },
        query: { column: 'TODO', first: '1', after: first.body.pageInfo.endCursor },
      },
    );
    expect(second.body.pageInfo.hasNextPage).toBe(false);
    expect([...first.body.missions, ...second.body.missions].map((m) => m.id).sort()).toEqual(
      created.map((m) => m.id).sort(),
    );
    const board = await rest.call<{ columns: { column: string; totalCount: number }[] }>(
      'getBoard',
      { token, params: { workspaceId: ws }, query: { perColumn: '10' } },
    );
    expect(board.body.columns.find((c) => c.column === 'TODO')?.totalCount).toBe(2);

    // Take work; a retry of the same request answers the same claim.
    const nextKey = randomUUID();
    const next = await rest.call<{ mission: Mission }>('nextMission', {
      token,
      params: { workspaceId: ws },
      headers: { 'Idempotency-Key': nextKey },
    });
    expect(next.status).toBe(200);
    const mission = next.body.mission;
    expect(created.map((m) => m.id)).toContain(mission.id);
    const retried = await rest.call<{ mission: Mission }>('nextMission', {
      token,
      params: { workspaceId: ws },
      headers: { 'Idempotency-Key': nextKey },
    });
    expect(retried.body.mission.id).toBe(mission.id);
    const missionParams = { workspaceId: ws, missionId: mission.id };
    expect((await rest.call<Mission>('renewLease', { token, params: missionParams })).body.id).toBe(
      mission.id,
    );

    const started = await rest.call<{ id: string; status: string }>('startRun', {
      token,
      params: missionParams,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { adapter: 'command', model: 'claude-sonnet-4-5', provider: 'anthropic' },
    });
    expect(started.status).toBe(201);
    expect(started.body.status).toBe('RUNNING');
    const runParams = { workspaceId: ws, runId: started.body.id };
    const chunkKey = randomUUID();
    const chunk = {
      lines: [{ text: 'cloning' }, { text: 'warning: slow disk', stream: 'STDERR' }],
    };
    const appended = await rest.call('appendRunLog', {
      token,
      params: runParams,
      headers: { 'Idempotency-Key': chunkKey },
      body: chunk,
    });
    expect(appended.body).toEqual({ firstPosition: 1, lastPosition: 2 });
    // Sent again after a lost answer: appended once, answered the same.
    const again = await rest.call('appendRunLog', {
      token,
      params: runParams,
      headers: { 'Idempotency-Key': chunkKey },
      body: chunk,
    });
    expect(again.body).toEqual({ firstPosition: 1, lastPosition: 2 });
    await rest.call('appendRunLog', {
      token,
      params: runParams,
      body: { lines: [{ text: 'done' }] },
    });
    const usage = await rest.call<{ inputTokens: number }>('reportRunUsage', {
      token,
      params: runParams,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { model: 'claude-sonnet-4-5', inputTokens: 1000, outputTokens: 200 },
    });
    expect(usage.body.inputTokens).toBe(1000);
    const progress = await rest.call('noteRunProgress', {
      token,
      params: runParams,
      body: { note: 'halfway', percent: 50 },
    });
    expect(progress.body).toMatchObject({ progressNote: 'halfway', progressPercent: 50 });

    const page = await rest.call<{
      logLines: number;
      log: { lines: { position: number; text: string; stream: string }[]; hasMore: boolean };
    }>('getRun', { token, params: runParams, query: { after: '1', first: '1' } });
    expect(page.body.logLines).toBe(3);
    expect(page.body.log).toMatchObject({
      lines: [{ position: 2, text: 'warning: slow disk', stream: 'STDERR' }],
      hasMore: true,
    });

    const comment = await rest.call<{ body: string }>('addComment', {
      token,
      params: missionParams,
      body: { body: 'Samples collected.' },
    });
    expect(comment.status).toBe(201);
    const moved = await rest.call<Mission>('moveMission', {
      token,
      params: missionParams,
      body: { column: 'REVIEW' },
    });
    expect(moved.body.column).toBe('REVIEW');
    const finished = await rest.call<{ status: string }>('finishRun', {
      token,
      params: runParams,
      headers: { 'Idempotency-Key': randomUUID() },
      body: { outcome: 'SUCCEEDED', summary: 'Samples collected.' },
    });
    expect(finished.body.status).toBe('SUCCEEDED');
    const twice = await rest.call<ErrorAnswer>('finishRun', {
      token,
      params: runParams,
      body: { outcome: 'FAILED' },
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('CONFLICT');
    const read = await rest.call<{ comments: { body: string }[] }>('getMission', {
      token,
      params: missionParams,
    });
    expect(read.body.comments.map((c) => c.body)).toEqual(['Samples collected.']);

    // The other mission: taken, then given back; then assigned to the agent, which claims it.
    const other = (
      await rest.call<{ mission: Mission }>('nextMission', { token, params: { workspaceId: ws } })
    ).body.mission;
    expect(other.id).not.toBe(mission.id);
    const otherParams = { workspaceId: ws, missionId: other.id };
    const released = await rest.call<Mission>('releaseMission', {
      token,
      params: otherParams,
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(released.body).toMatchObject({ column: 'TODO', claimedBy: null });
    await graph.ok(ASSIGN, { ws, id: other.id, agent: agent.id }, admin.workspaceToken);
    const claimed = await rest.call<Mission & { claimedBy: string }>('claimMission', {
      token,
      params: otherParams,
    });
    expect(claimed.body.claimedBy).toBe(agent.id);
  });

  it('refuses bad input with VALIDATION_ERROR naming the field, never a 500', async () => {
    const token = agent.token;
    const ws = { workspaceId: admin.workspaceId };
    const cases: [string, Call, string | undefined][] = [
      ['createMission', { token, params: ws, body: { title: 42 } }, 'title'],
      ['createMission', { token, params: ws, body: { title: 'x', priority: 'SOON' } }, 'priority'],
      ['listMissions', { token, params: ws, query: { column: 'LATER' } }, 'column'],
      ['listMissions', { token, params: ws, query: { column: 'TODO', first: '0' } }, 'first'],
      [
        'nextMission',
        { token, params: ws, headers: { 'Idempotency-Key': 'short' } },
        'Idempotency-Key',
      ],
      ['createMission', { token, params: ws, rawBody: '{"title": ' }, undefined],
      // Refused by the graph itself rather than the route's schema: still a 400.
      [
        'createMission',
        { token: admin.workspaceToken, params: ws, body: { title: '' } },
        undefined,
      ],
    ];
    for (const [operationId, call, field] of cases) {
      const answer = await rest.call<ErrorAnswer>(operationId, call);
      expect({ operationId, field, status: answer.status, code: answer.body.error.code }).toEqual({
        operationId,
        field,
        status: 400,
        code: 'VALIDATION_ERROR',
      });
      if (field) {
        expect(answer.body.error.details?.field).toBe(field);
        expect(answer.body.error.message).toContain(field);
      }
    }
    // What the graph refuses names its field the way the services do.
    const empty = await rest.call<ErrorAnswer>('createMission', {
      token: admin.workspaceToken,
      params: ws,
      body: { title: '' },
    });
    expect(JSON.stringify(empty.body.error.details?.fields)).toContain('title');
    const nowhere = await fetch(`${stack.gatewayUrl}/api/v1/nowhere`);
    expect(nowhere.status).toBe(404);
    rest.checkError(await nowhere.json());
  });

  it('shows nothing of another workspace', async () => {
    const other = await new IdentityWorld(graph).workspace(`rest-other-${Date.now()}`);
    const secret = await new SquadWorld(graph).mission(other, 'Classified: other tenant');
    const token = agent.token;
    const aimed = [
      // Through the agent's own workspace: no such mission there.
      { workspaceId: admin.workspaceId, missionId: secret.id },
      // At the other workspace directly.
      { workspaceId: other.workspaceId, missionId: secret.id },
    ];
    for (const params of aimed) {
      const answer = await rest.call<ErrorAnswer>('getMission', { token, params });
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(answer.body.error.code);
      expect(JSON.stringify(answer.body)).not.toContain('Classified');
    }
    const inOwn = await rest.call<ErrorAnswer>('getMission', { token, params: aimed[0] });
    expect(inOwn.status).toBe(404);
    expect(inOwn.body.error.code).toBe('NOT_FOUND');
    const board = await rest.call<ErrorAnswer>('listMissions', {
      token,
      params: { workspaceId: other.workspaceId },
      query: { column: 'TODO' },
    });
    expect(board.status).toBeGreaterThanOrEqual(403);
    expect(JSON.stringify(board.body)).not.toContain('Classified');
  });

  it('answers 401 to no token, a forged one and a revoked one', async () => {
    const ws = { workspaceId: admin.workspaceId };
    const none = await rest.call<ErrorAnswer>('listAgents', { params: ws });
    expect(none.status).toBe(401);
    const forged = await rest.call<ErrorAnswer>('listAgents', {
      params: ws,
      token: `${agent.token.slice(0, -4)}AAAA`,
    });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('UNAUTHENTICATED');
    const malformed = await rest.call<ErrorAnswer>('whoami', {
      headers: { authorization: 'Basic dXNlcjpwYXNz' },
    });
    expect(malformed.status).toBe(401);
    const badKey = await rest.call<ErrorAnswer>('exchangeAgentKey', { body: { key: 'mc_nope' } });
    expect(badKey.status).toBe(401);

    // Deactivating the agent revokes its key and the tokens issued before.
    await graph.ok(DEACTIVATE, { ws: admin.workspaceId, id: agent.id }, admin.workspaceToken);
    const deadline = Date.now() + 5_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await rest.call('whoami', { token: agent.token })).status;
      if (status === 401) {
        break;
      }
      await sleep(50);
    }
    expect(status).toBe(401);
  });

  it('answers a spent rate limit with 429 and Retry-After', async () => {
    let answer: Answer<ErrorAnswer> | undefined;
    for (let sent = 0; sent <= ANONYMOUS_PER_MINUTE; sent += 1) {
      answer = await rest.call<ErrorAnswer>('exchangeApiKey', { body: { key: 'mc_nope' } });
      if (answer.status === 429) {
        break;
      }
    }
    expect(answer?.status).toBe(429);
    expect(answer?.body.error).toMatchObject({ code: 'LIMIT_EXCEEDED', retryable: true });
    expect(Number(answer?.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('exercised every operation of the document', () => {
    expect(rest.operationIds.filter((id) => !rest.checked.has(id))).toEqual([]);
  });
});

describe('REST v1 with short-lived tokens', () => {
  const TTL_SECONDS = 3;
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ env: { ACCESS_TOKEN_TTL_SECONDS: String(TTL_SECONDS) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 401 to a token that has expired', async () => {
    const { rest } = await RestClient.of(stack.gatewayUrl);
    const member = await new IdentityWorld(new GraphClient(stack.gatewayUrl)).workspace(
      `rest-ttl-${Date.now()}`,
    );
    const fresh = await rest.call('whoami', { token: member.workspaceToken });
    expect(fresh.status).toBe(200);
    await sleep((TTL_SECONDS + 1) * 1000);
    const expired = await rest.call<ErrorAnswer>('whoami', { token: member.workspaceToken });
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe('UNAUTHENTICATED');
  });
});
