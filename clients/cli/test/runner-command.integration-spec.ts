import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type Stack, startStack, until } from '@mission-control/testing';
import { McUser } from './support/mc-process';
import { PASSWORD, personWithWorkspace } from './support/people';

// The runner's own fake Claude Code: replays a documented stream-json transcript.
const FAKE_CLAUDE = path.resolve(__dirname, '../../runner/test/fixtures/bin/claude');

type Mission = { id: string; column: string };

describe('mc runner against the real gateway and services', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack?.stop());

  it('runs a Claude Code agent on a mission from a config file, and refuses a bad file', async () => {
    const person = await personWithWorkspace(stack.gatewayUrl, 'runner-cli');
    const mc = new McUser();
    const login = await mc.run(
      ['login', '--gateway', stack.gatewayUrl, '--email', person.email, '--password-stdin'],
      `${PASSWORD}\n`,
    );
    expect(login.code).toBe(0);
    await mc.json(['agents', 'register', 'Coder']);
    const { key } = await mc.json<{ key: string }>(['agents', 'key', 'Coder']);
    const mission = await mc.json<Mission>([
      'missions',
      'create',
      'Fix the flaky test',
      '--column',
      'TODO',
    ]);

    const dir = mkdtempSync(path.join(tmpdir(), 'mc-runner-'));
    const config = path.join(dir, 'runner.yaml');
    writeFileSync(
      config,
      [
        `gatewayUrl: ${stack.gatewayUrl}`,
        'workRoot: work',
        'agents:',
        '  - name: coder',
        '    key: env:MC_AGENT_KEY',
        '    adapter: claude-code',
        `    options: { executable: ${JSON.stringify(FAKE_CLAUDE)}, model: claude-sonnet-4-5 }`,
      ].join('\n'),
    );
    process.env.MC_AGENT_KEY = key;
    const runner = new McUser().start(['runner', '--config', config]);
    try {
      await until(
        async () => (await mc.json<Mission>(['missions', 'show', mission.id])).column === 'REVIEW',
        'the mission done and in Review',
        60_000,
      );
      const runs = await mc.json<{
        nodes: { status: string; costUsd: number; outputTokens: number }[];
      }>(['runs', 'list', '--mission', mission.id]);
      expect(runs.nodes).toMatchObject([{ status: 'SUCCEEDED', outputTokens: 178 }]);
      expect(runs.nodes[0]!.costUsd).toBeGreaterThan(0);
      expect(runner.stderr).toContain('mc runner: at work for');
    } finally {
      runner.kill();
      delete process.env.MC_AGENT_KEY;
    }

    writeFileSync(config, 'gatewayUrl: ftp://nowhere\nagents: []\n');
    const refused = await new McUser().run(['runner', '--config', config]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^mc: VALIDATION_ERROR: .*gatewayUrl/);
  });
});
