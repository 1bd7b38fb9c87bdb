import { MissionControlClient } from './mission-control.client';

type Sent = { operationName: string; variables: Record<string, unknown>; token: string | null };
type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };

/** A gateway stand-in: answers each request with the next of `answers` for its operation. */
function fakeGateway(answers: Record<string, Array<Answer | Error>>) {
  const sent: Sent[] = [];
  const fetch = jest.fn((_url: string | URL | Request, init?: RequestInit) => {
    const body = JSON.parse(init?.body as string) as Omit<Sent, 'token'>;
    const auth = new Headers(init?.headers).get('authorization');
    sent.push({ ...body, token: auth?.replace('Bearer ', '') ?? null });
    const queue = answers[body.operationName] ?? [];
    const next = queue.length > 1 ? queue.shift()! : queue[0];
    if (next instanceof Error) {
      return Promise.reject(next);
    }
    return Promise.resolve(
      new Response(JSON.stringify(next?.body ?? { data: null }), {
        status: next?.status ?? 200,
        headers: { 'content-type': 'application/json', ...next?.headers },
      }),
    );
  });
  return { fetch: fetch as unknown as typeof globalThis.fetch, sent };
}

const inAMinute = () => new Date(Date.now() + 15 * 60_000).toISOString();
const token = (accessToken: string): Answer => ({
  body: { data: { exchangeAgentKey: { accessToken, accessTokenExpiresAt: inAMinute() } } },
});
const error = (code: string, retryable = false, details?: object): Answer => ({
  body: {
    data: null,
    errors: [
      { message: `${code} here`, extensions: { code, requestId: 'req-9', retryable, details } },
    ],
  },
});
const finished = { finishRun: { id: 'r', missionId: 'm', status: 'SUCCEEDED', summary: 'ok' } };

const client = (fetch: typeof globalThis.fetch) =>
  new MissionControlClient({
    url: 'http://gateway.test',
    agentKey: 'mc_agent_secret',
    fetch,
    retry: { initialDelayMs: 1, maxDelayMs: 2 },
  });

describe('MissionControlClient', () => {
  it('exchanges the key for a token and sends it, to /graphql, with the operation’s name', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1')],
      Heartbeat: [{ body: { data: { heartbeat: { id: 'a', workspaceId: 'w' } } } }],
    });
    const sut = client(gateway.fetch);
    await expect(sut.heartbeat('IDLE')).resolves.toMatchObject({ id: 'a', workspaceId: 'w' });
    expect(gateway.sent).toEqual([
      expect.objectContaining({
        operationName: 'ExchangeAgentKey',
        variables: { key: 'mc_agent_secret' },
        token: null,
      }),
      expect.objectContaining({ operationName: 'Heartbeat', token: 't1' }),
    ]);
    expect(String((gateway.fetch as jest.Mock).mock.calls[0][0])).toBe(
      'http://gateway.test/graphql',
    );
  });

  it('reports the host and its samples with the workspace, host and figures it is given', async () => {
    const host = { id: 'h', workspaceId: 'w', hostKey: 'k', hostname: 'box', status: 'ONLINE' };
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1')],
      ReportHost: [{ body: { data: { reportHost: host } } }],
      ReportHostSample: [error('LIMIT_EXCEEDED', false, { retryAfterSeconds: 30 })],
    });
    const sut = client(gateway.fetch);
    const input = {
      hostKey: 'k',
      hostname: 'box',
      kind: 'SERVER' as const,
      cpuCount: 4,
      memoryBytes: 8_589_934_592,
    };
    const sample = { cpuPercent: 12.5, memoryUsedBytes: 1, diskUsedBytes: 1, diskTotalBytes: 2 };

    await expect(sut.reportHost('w', input)).resolves.toMatchObject({ id: 'h' });
    await expect(sut.reportHostSample('w', 'h', sample)).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
    });
    expect(gateway.sent.slice(1)).toEqual([
      expect.objectContaining({
        operationName: 'ReportHost',
        variables: { workspaceId: 'w', input },
      }),
      expect.objectContaining({
        operationName: 'ReportHostSample',
        variables: { workspaceId: 'w', hostId: 'h', input: sample },
      }),
    ]);
  });

  it('on UNAUTHENTICATED exchanges the key again once and sends the request once more', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1'), token('t2')],
      FinishRun: [error('UNAUTHENTICATED'), { body: { data: finished } }],
    });
    const sut = client(gateway.fetch);
    await expect(sut.finishRun('w', 'r', 'SUCCEEDED')).resolves.toMatchObject({
      status: 'SUCCEEDED',
    });
    const finishes = gateway.sent.filter((sent) => sent.operationName === 'FinishRun');
    expect(finishes.map((sent) => sent.token)).toEqual(['t1', 't2']);
    expect(finishes[0]!.variables.idempotencyKey).toBe(finishes[1]!.variables.idempotencyKey);
  });

  it('does not loop when the fresh token is refused too: the error comes back', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1'), token('t2')],
      Heartbeat: [error('UNAUTHENTICATED')],
    });
    await expect(client(gateway.fetch).heartbeat('IDLE')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      requestId: 'req-9',
    });
    expect(gateway.sent.filter((sent) => sent.operationName === 'Heartbeat')).toHaveLength(2);
  });

  it('says clearly that a revoked key was refused', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1'), error('UNAUTHENTICATED')],
      Heartbeat: [error('UNAUTHENTICATED')],
    });
    const caught = await client(gateway.fetch)
      .heartbeat('IDLE')
      .catch((failure: unknown) => failure);
    expect(caught).toMatchObject({ code: 'UNAUTHENTICATED', retryable: false });
    expect((caught as Error).message).toContain('agent key was refused');
  });

  it('retries a busy gateway, a network error and a 502 with the same idempotency key', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1')],
      AppendRunLog: [
        error('LIMIT_EXCEEDED', true, { retryAfterSeconds: 0 }),
        new TypeError('fetch failed'),
        { status: 502, body: 'Bad gateway' },
        { body: { data: { appendRunLog: { firstPosition: 1, lastPosition: 2 } } } },
      ],
    });
    const sut = client(gateway.fetch);
    const lines = [{ text: 'a' }, { text: 'b' }];
    await expect(sut.appendRunLog('w', 'r', lines)).resolves.toEqual({
      firstPosition: 1,
      lastPosition: 2,
    });
    const appends = gateway.sent.filter((sent) => sent.operationName === 'AppendRunLog');
    expect(appends).toHaveLength(4);
    const keys = new Set(appends.map((sent) => sent.variables.idempotencyKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives each write its own idempotency key', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1')],
      FinishRun: [{ body: { data: finished } }],
    });
    const sut = client(gateway.fetch);
    await sut.finishRun('w', 'r1', 'SUCCEEDED');
    await sut.finishRun('w', 'r2', 'FAILED', 'tests fail');
    const [first, second] = gateway.sent.filter((sent) => sent.operationName === 'FinishRun');
    expect(first!.variables.idempotencyKey).not.toBe(second!.variables.idempotencyKey);
    expect(second!.variables).toMatchObject({
      runId: 'r2',
      outcome: 'FAILED',
      summary: 'tests fail',
    });
  });

  it('does not retry a refusal that will not change (a budget’s stop, a conflict)', async () => {
    const gateway = fakeGateway({
      ExchangeAgentKey: [token('t1')],
      NextMission: [error('LIMIT_EXCEEDED', false, { budgetId: 'b1' })],
    });
    await expect(client(gateway.fetch).nextMission('w')).rejects.toMatchObject({
      code: 'LIMIT_EXCEEDED',
      retryable: false,
      details: { budgetId: 'b1' },
    });
    expect(gateway.sent.filter((sent) => sent.operationName === 'NextMission')).toHaveLength(1);
  });
});
