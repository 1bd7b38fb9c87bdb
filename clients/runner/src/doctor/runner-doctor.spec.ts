import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { deadGatewayUrl, FakeOpenClawGateway } from '../../test/support/fake-openclaw-gateway';
import { FAKE_BIN } from '../../test/support/fixtures';
import { type DoctorCheck, diagnoseRunner } from './runner-doctor';

const dir = mkdtempSync(path.join(tmpdir(), 'runner-doctor-'));
let files = 0;

/** A runner file with these agents, Mission Control nowhere (its checks are the integration spec's). */
async function configWith(agents: unknown[]): Promise<string> {
  const file = path.join(dir, `runner-${(files += 1)}.json`);
  const missionControl = (await deadGatewayUrl()).replace('ws:', 'http:');
  writeFileSync(file, JSON.stringify({ gatewayUrl: missionControl, agents }));
  return file;
}

const lines = (checks: DoctorCheck[]) =>
  checks.map((check) => `${check.agent ?? '-'} | ${check.check} | ${check.status}`);

describe('mc runner doctor’s checks', () => {
  let gateway: FakeOpenClawGateway;
  beforeAll(async () => {
    gateway = await FakeOpenClawGateway.start();
  });
  afterAll(() => gateway.stop());
  afterEach(() => {
    const problems = gateway.problems.splice(0);
    expect(problems).toEqual([]);
  });

  const claw = (url: string, session = 'agent:main:main') => ({
    name: 'claw',
    key: 'mc_k',
    adapter: 'openclaw',
    gateway: { url, token: 'oc-token', session },
  });

  it('walks an OpenClaw gateway from the WebSocket to the named session', async () => {
    const checks = await diagnoseRunner(await configWith([claw(gateway.url('sessions-list'))]));
    expect(lines(checks)).toEqual([
      '- | configuration valid | ok',
      '- | Mission Control reachable | failed',
      'claw | agent key exchanged for a token | skipped',
      'claw | OpenClaw WebSocket reachable | ok',
      'claw | OpenClaw handshake and protocol accepted | ok',
      'claw | OpenClaw token accepted | ok',
      'claw | OpenClaw sessions listed | ok',
      'claw | OpenClaw session exists | ok',
    ]);
    expect(checks[1]).toMatchObject({
      code: 'NETWORK_ERROR',
      detail: expect.stringMatching(/^cannot reach http:\/\/127\.0\.0\.1:\d+\/: .*ECONNREFUSED/),
      fix: expect.stringContaining('check gatewayUrl'),
    });
    expect(
      checks.find((check) => check.check === 'OpenClaw handshake and protocol accepted'),
    ).toMatchObject({ detail: 'OpenClaw 2026.6.1, protocol 4 (3–4 offered)' });
    expect(checks.find((check) => check.check === 'OpenClaw sessions listed')).toMatchObject({
      detail: '2 sessions',
    });
  });

  it('says which session names exist when the named one does not', async () => {
    const checks = await diagnoseRunner(
      await configWith([claw(gateway.url('sessions-list'), 'agent:main:nightly')]),
    );
    expect(checks.at(-1)).toEqual({
      agent: 'claw',
      check: 'OpenClaw session exists',
      status: 'failed',
      code: 'NOT_FOUND',
      detail: 'no session agent:main:nightly on the gateway',
      fix: 'set gateway.session to one of: agent:main:main, agent:main:subagent:3e9a51c7; or to new for a session per run',
    });
  });

  it('stops at the step that failed: the WebSocket, the protocol, the token', async () => {
    const down = await diagnoseRunner(await configWith([claw(await deadGatewayUrl())]));
    expect(lines(down).slice(3)).toEqual([
      'claw | OpenClaw WebSocket reachable | failed',
      'claw | OpenClaw handshake and protocol accepted | skipped',
      'claw | OpenClaw token accepted | skipped',
      'claw | OpenClaw sessions listed | skipped',
      'claw | OpenClaw session exists | skipped',
    ]);
    expect(down[3]!.fix).toMatch(/^check that the gateway runs/);

    const mismatch = await diagnoseRunner(
      await configWith([claw(gateway.url('protocol-mismatch'))]),
    );
    expect(lines(mismatch).slice(3, 5)).toEqual([
      'claw | OpenClaw WebSocket reachable | ok',
      'claw | OpenClaw handshake and protocol accepted | failed',
    ]);
    expect(mismatch[4]).toMatchObject({
      code: 'CONFLICT',
      detail: 'INVALID_REQUEST: protocol mismatch',
      fix: expect.stringContaining('protocol versions overlap'),
    });

    const refused = await diagnoseRunner(await configWith([claw(gateway.url('auth-refused'))]));
    expect(lines(refused).slice(3, 7)).toEqual([
      'claw | OpenClaw WebSocket reachable | ok',
      'claw | OpenClaw handshake and protocol accepted | ok',
      'claw | OpenClaw token accepted | failed',
      'claw | OpenClaw sessions listed | skipped',
    ]);
    expect(refused[5]).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: expect.stringContaining('unauthorized: gateway token mismatch'),
      fix: expect.stringContaining('gateway.token'),
    });
  });

  it('finds a CLI’s executable and runs its --version, or says it is not there', async () => {
    const checks = await diagnoseRunner(
      await configWith([
        {
          name: 'coder',
          key: 'mc_k',
          adapter: 'claude-code',
          options: { executable: path.join(FAKE_BIN, 'claude') },
        },
        {
          name: 'reviewer',
          key: 'mc_k',
          adapter: 'codex',
          options: { executable: 'no-such-codex' },
        },
      ]),
    );
    expect(
      checks.filter(
        (check) => check.agent !== null && check.check !== 'agent key exchanged for a token',
      ),
    ).toEqual([
      {
        agent: 'coder',
        check: 'executable found',
        status: 'ok',
        detail: path.join(FAKE_BIN, 'claude'),
      },
      { agent: 'coder', check: 'runs --version', status: 'ok', detail: '2.0.14 (Claude Code)' },
      {
        agent: 'reviewer',
        check: 'executable found',
        status: 'failed',
        code: 'NOT_FOUND',
        detail: 'no-such-codex is not on PATH',
        fix: "install no-such-codex, or set the adapter's executable option to its path",
      },
      {
        agent: 'reviewer',
        check: 'runs --version',
        status: 'skipped',
        detail: 'not checked: no executable',
      },
    ]);
  });

  it('stops at a configuration it cannot use, saying what is wrong', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ gatewayUrl: 'ftp://x', agents: [] }));
    const checks = await diagnoseRunner(file);
    expect(checks).toEqual([
      {
        agent: null,
        check: 'configuration valid',
        status: 'failed',
        code: 'VALIDATION_ERROR',
        detail: expect.stringContaining('gatewayUrl'),
        fix: `fix ${file} as the lines above say`,
      },
    ]);
  });
});
