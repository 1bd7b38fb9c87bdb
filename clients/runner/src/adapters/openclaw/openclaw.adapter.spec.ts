import { deadGatewayUrl, FakeOpenClawGateway } from '../../../test/support/fake-openclaw-gateway';
import { logsOf } from '../../../test/support/fixtures';
import type { AdapterEvent, MissionBrief } from '../adapter';
import { OpenClawError, OpenClawErrorCode } from './openclaw.error';
import { openClawAdapter } from './openclaw.adapter';
import { OpenClawGatewayClient } from './openclaw-gateway.client';

const brief: MissionBrief = {
  missionId: 'm-1',
  runId: 'r-1',
  title: 'Collect regolith samples',
  description: 'Two kinds.',
  acceptanceCriteria: '',
  workFolder: '/work/r-1',
  missionFile: '/work/r-1/MISSION.md',
  prompt: 'Collect two samples',
};

describe('the openclaw adapter against an OpenClaw-style gateway', () => {
  let gateway: FakeOpenClawGateway;
  beforeAll(async () => {
    gateway = await FakeOpenClawGateway.start();
  });
  afterAll(() => gateway.stop());
  afterEach(() => {
    const problems = gateway.problems.splice(0);
    expect(problems).toEqual([]);
  });

  const adapter = (url: string, session = 'agent:main:main', extra = {}) =>
    openClawAdapter({ gateway: { url, token: 'secret-token', session }, ...extra });

  function start(url: string, session?: string) {
    const events: AdapterEvent[] = [];
    const turn = adapter(url, session).start(brief, (more) => events.push(...more));
    return { events, turn };
  }

  it('sends the prompt to the session and streams the run to its end, with its usage', async () => {
    const url = gateway.url('run-success');
    const { events, turn } = start(url);
    await expect(turn.ended).resolves.toEqual({
      outcome: 'SUCCEEDED',
      summary:
        "I'll look at the mission first.\nCollected two samples and wrote them to samples.md.\nBoth are catalogued.",
    });
    expect(logsOf(events).slice(0, 3)).toEqual([
      'system: connected: OpenClaw 2026.6.1, protocol 4',
      'system: OpenClaw run 5b0e6c1a-9d2f-4e8b-a7c3-1f6e2d9b8c40 started',
      "stdout: I'll look at the mission first.",
    ]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'usage' }));
    const [connect] = gateway.requests(url, 'connect');
    expect(connect!.frame).toMatchObject({ params: { auth: { token: 'secret-token' } } });
    const [send] = gateway.requests(url, 'chat.send');
    expect(send!.frame).toMatchObject({
      params: { message: 'Collect two samples', idempotencyKey: 'r-1' },
    });
    expect(adapter(url).describe(brief)).toBe(`OpenClaw gateway ${url}, session agent:main:main`);
  });

  it('starts a new session for the run when asked', async () => {
    const url = gateway.url('new-session');
    const { events, turn } = start(url, 'new');
    await expect(turn.ended).resolves.toMatchObject({ outcome: 'SUCCEEDED' });
    expect(logsOf(events)).toContain(
      'system: new session agent:main:dashboard:4b8e2f10-6c3a-4d97-b5e1-0a2c9f7d8e63',
    );
  });

  it('aborts the remote run when stopped, then hangs up', async () => {
    const url = gateway.url('run-abort');
    const { events, turn } = start(url);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (logsOf(events).includes('stdout: Starting a long build.')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    const stopAt = Date.now();
    await turn.stop();
    const [abort] = gateway.requests(url, 'chat.abort');
    expect(abort!.at - stopAt).toBeLessThan(500);
    expect(Date.now() - stopAt).toBeLessThan(2_000);
    await expect(turn.ended).resolves.toEqual({ outcome: 'FAILED', summary: 'stopped' });
  });

  it('reports a frame that is not JSON as a parse error', async () => {
    const url = gateway.url('garbage');
    const { events, turn } = start(url);
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (events.some((event) => event.type === 'invalid')) {
          clearInterval(check);
          resolve();
        }
      }, 5);
    });
    expect(events.find((event) => event.type === 'invalid')).toEqual({
      type: 'invalid',
      error: expect.stringMatching(
        /^the OpenClaw gateway sent a frame that is not JSON .*Segmentation fault/,
      ),
    });
    // The run loop stops a turn whose output it cannot read: the run is aborted there too.
    await turn.stop();
    expect(gateway.requests(url, 'chat.abort')).toHaveLength(1);
  });

  it('fails the run saying what is wrong when the gateway cannot be reached, refuses the token or the protocol', async () => {
    const down = start(await deadGatewayUrl());
    await expect(down.turn.ended).resolves.toEqual({
      outcome: 'FAILED',
      summary: expect.stringMatching(
        /^cannot reach the OpenClaw gateway at ws:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED.* \(check that the gateway runs/,
      ),
    });
    expect(logsOf(down.events)).toEqual([expect.stringMatching(/^stderr: cannot reach/)]);

    const refused = start(gateway.url('auth-refused'));
    await expect(refused.turn.ended).resolves.toEqual({
      outcome: 'FAILED',
      summary:
        "INVALID_REQUEST: unauthorized: gateway token mismatch (provide gateway auth token) (set gateway.token (or the variable gateway.tokenEnv names) to the gateway's gateway.auth.token)",
    });

    const mismatch = start(gateway.url('protocol-mismatch'));
    await expect(mismatch.turn.ended).resolves.toEqual({
      outcome: 'FAILED',
      summary: expect.stringMatching(/^INVALID_REQUEST: protocol mismatch \(update the runner/),
    });
  });

  it('refuses a gateway that chose a protocol outside the range offered', async () => {
    const error = await OpenClawGatewayClient.connect({
      url: gateway.url('old-protocol'),
      token: 't',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenClawError);
    expect(error).toMatchObject({
      code: OpenClawErrorCode.PROTOCOL_MISMATCH,
      message: 'the gateway chose protocol 2, outside 3–4',
    });
  });

  it('lists sessions through the client, answers correlated by id', async () => {
    const client = await OpenClawGatewayClient.connect({
      url: gateway.url('sessions-list'),
      token: 't',
    });
    expect(client.protocol).toBe(4);
    const listed = (await client.request('sessions.list', {})) as { sessions: { key: string }[] };
    expect(listed.sessions.map((session) => session.key)).toEqual([
      'agent:main:main',
      'agent:main:subagent:3e9a51c7',
    ]);
    await client.close();
  });

  it('drops a connection that falls silent, as a gateway gone without a close', async () => {
    let closed: { code: number; reason: string } | null = null;
    const client = await OpenClawGatewayClient.connect({
      url: gateway.url('run-abort'),
      token: 't',
      silenceLimitMs: 200,
      onClose: (code, reason) => (closed = { code, reason }),
    });
    // The recorded run streams a little, then waits for an abort that never comes.
    await client.request('chat.send', {
      sessionKey: 'agent:main:main',
      message: 'Build everything',
      idempotencyKey: 'r-2',
    });
    const started = Date.now();
    while (closed === null && Date.now() - started < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(closed).toEqual({ code: 4000, reason: 'no frame from the gateway for 200 ms' });
    await expect(client.request('sessions.list', {})).rejects.toMatchObject({
      code: OpenClawErrorCode.CLOSED,
    });
  });

  it('validates its options with clear messages', () => {
    expect(() =>
      openClawAdapter({ gateway: { url: 'http://x', token: 't', session: 's' } }),
    ).toThrow(/ws:\/\/ or wss:\/\//);
    expect(() => openClawAdapter({ gateway: { url: 'ws://x', session: 's' } })).toThrow(
      /give token or tokenEnv/,
    );
    expect(() =>
      openClawAdapter({
        gateway: { url: 'ws://x', token: 't', session: 's', protocol: { min: 4, max: 3 } },
      }),
    ).toThrow(/protocol.min is above protocol.max/);
  });
});
