import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../main';

// The runner's own stand-in for Claude Code (it answers --version as claude does).
const FAKE_CLAUDE = path.resolve(__dirname, '../../../runner/test/fixtures/bin/claude');

const dir = mkdtempSync(path.join(tmpdir(), 'mc-runner-doctor-'));

/** A port where nothing listens. */
function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function mc(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const code = await main(['node', 'mc', ...args], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: { ...process.env, MC_CONFIG_DIR: dir },
  });
  return { code, out, err };
}

describe('mc runner doctor', () => {
  let file: string;
  let missionControl: string;
  let openclaw: string;
  beforeAll(async () => {
    missionControl = `http://127.0.0.1:${await deadPort()}`;
    openclaw = `ws://127.0.0.1:${await deadPort()}`;
    file = path.join(dir, 'runner.yaml');
    writeFileSync(
      file,
      [
        `gatewayUrl: ${missionControl}`,
        'agents:',
        '  - name: claw',
        '    key: mca_k',
        '    adapter: openclaw',
        `    gateway: { url: ${openclaw}, token: t, session: agent:main:main }`,
        '  - name: coder',
        '    key: mca_k',
        '    adapter: claude-code',
        `    options: { executable: ${FAKE_CLAUDE} }`,
      ].join('\n'),
    );
  });

  it('prints a line per check, each failure with what to do, and exits with the first failure’s code', async () => {
    const { code, out, err } = await mc(['runner', 'doctor', '--config', file]);
    expect(out.split('\n')).toEqual([
      `ok    configuration valid: ${file}: 2 agents`,
      expect.stringMatching(
        new RegExp(
          `^FAIL  Mission Control reachable: cannot reach ${missionControl}: .*ECONNREFUSED`,
        ),
      ),
      '      fix: check gatewayUrl in the file and that Mission Control runs and is reachable from this host',
      'skip  claw: agent key exchanged for a token: not checked: Mission Control cannot be reached',
      expect.stringMatching(
        /^FAIL {2}claw: OpenClaw WebSocket reachable: cannot reach the OpenClaw gateway at /,
      ),
      expect.stringMatching(/^ {6}fix: check that the gateway runs/),
      'skip  claw: OpenClaw handshake and protocol accepted: not checked: a check above failed',
      'skip  claw: OpenClaw token accepted: not checked: a check above failed',
      'skip  claw: OpenClaw sessions listed: not checked: a check above failed',
      'skip  claw: OpenClaw session exists: not checked: a check above failed',
      'skip  coder: agent key exchanged for a token: not checked: Mission Control cannot be reached',
      `ok    coder: executable found: ${FAKE_CLAUDE}`,
      'ok    coder: runs --version: 2.0.14 (Claude Code)',
      '',
    ]);
    expect(code).toBe(8);
    expect(err).toBe(
      'mc: NETWORK_ERROR: 2 of 11 checks failed (first: Mission Control reachable)\n',
    );
  });

  it('gives the checks as JSON with --json', async () => {
    const { code, out } = await mc(['runner', 'doctor', '--config', file, '--json']);
    const report = JSON.parse(out) as { ok: boolean; checks: { check: string; status: string }[] };
    expect(code).toBe(8);
    expect(report.ok).toBe(false);
    expect(report.checks[0]).toEqual({
      agent: null,
      check: 'configuration valid',
      status: 'ok',
      detail: `${file}: 2 agents`,
    });
    expect(report.checks[1]).toMatchObject({
      check: 'Mission Control reachable',
      status: 'failed',
      code: 'NETWORK_ERROR',
      fix: expect.stringContaining('gatewayUrl'),
    });
    expect(report.checks).toHaveLength(11);
  });

  it('exits with 2 for a file it cannot use, and mc runner without --config says what it needs', async () => {
    const bad = path.join(dir, 'bad.yaml');
    writeFileSync(bad, 'gatewayUrl: ftp://x\nagents: []\n');
    const doctor = await mc(['runner', 'doctor', '-c', bad]);
    expect(doctor.code).toBe(2);
    expect(doctor.out).toMatch(
      /^FAIL {2}configuration valid: The runner's configuration cannot be used: /,
    );
    expect(await mc(['runner'])).toMatchObject({
      code: 2,
      err: 'mc: VALIDATION_ERROR: mc runner needs --config <file>, the runner configuration (YAML or JSON)\n',
    });
  });
});
