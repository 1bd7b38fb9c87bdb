import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadRunnerConfig, parseRunnerConfig, RunnerConfigError } from './runner.config';

const dir = mkdtempSync(path.join(tmpdir(), 'runner-config-'));
const file = (name: string, text: string) => {
  const at = path.join(dir, name);
  writeFileSync(at, text);
  return at;
};

describe('the runner configuration', () => {
  it('reads YAML, with defaults, a key from the environment and the work root beside the file', async () => {
    const config = await loadRunnerConfig(
      file(
        'runner.yaml',
        [
          'gatewayUrl: http://127.0.0.1:4000',
          'workRoot: runs',
          'agents:',
          '  - name: coder',
          '    key: env:CODER_KEY',
          '    adapter: claude-code',
          '    concurrency: 2',
          '    options: { model: claude-sonnet-4-5 }',
        ].join('\n'),
      ),
      { CODER_KEY: 'mc_secret' },
    );
    expect(config).toMatchObject({
      gatewayUrl: 'http://127.0.0.1:4000',
      workRoot: path.join(dir, 'runs'),
      killGraceMs: 1_000,
      agents: [
        {
          name: 'coder',
          key: 'mc_secret',
          adapter: 'claude-code',
          concurrency: 2,
          onSuccess: 'REVIEW',
          onFailure: 'BACKLOG',
          options: { model: 'claude-sonnet-4-5' },
        },
      ],
    });
  });

  it('reads JSON too', async () => {
    const config = await loadRunnerConfig(
      file(
        'runner.json',
        JSON.stringify({
          gatewayUrl: 'https://mc.example.com',
          agents: [{ key: 'mc_k', adapter: 'command', options: { command: './agent' } }],
        }),
      ),
    );
    expect(config.agents[0]).toMatchObject({ adapter: 'command', concurrency: 1 });
  });

  it('names every bad key at once, adapter options included', () => {
    const problem = (() => {
      try {
        parseRunnerConfig({
          gatewayUrl: 'ftp://x',
          agents: [
            { key: 'mc_k', adapter: 'gemini' },
            { key: 'mc_k', adapter: 'command', options: { cmd: 'x' }, concurrency: 0 },
          ],
          surprise: true,
        });
      } catch (error) {
        return error;
      }
    })();
    expect(problem).toBeInstanceOf(RunnerConfigError);
    const text = (problem as Error).message;
    for (const part of [
      'gatewayUrl',
      'agents[0].adapter',
      'agents[1].concurrency',
      'agents[1].options',
      'surprise',
      'cmd',
    ]) {
      expect(text).toContain(part);
    }
  });

  it('says which environment variable a key needs', () => {
    expect(() =>
      parseRunnerConfig(
        { gatewayUrl: 'http://x', agents: [{ key: 'env:MISSING_KEY', adapter: 'codex' }] },
        {},
      ),
    ).toThrow('agents.0.key: the environment has no MISSING_KEY');
  });

  it('says when the file cannot be read', async () => {
    await expect(loadRunnerConfig(path.join(dir, 'absent.yaml'))).rejects.toThrow(
      /Cannot read the runner's configuration/,
    );
  });
});
