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
          onStart: 'IN_PROGRESS',
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

  it('reads an OpenClaw agent’s gateway, its token from the environment', async () => {
    const config = await loadRunnerConfig(
      file(
        'openclaw.yaml',
        [
          'gatewayUrl: http://127.0.0.1:4000',
          'agents:',
          '  - key: mc_k',
          '    adapter: openclaw',
          '    gateway:',
          '      url: ws://127.0.0.1:18789',
          '      tokenEnv: OPENCLAW_GATEWAY_TOKEN',
          '      session: agent:main:main',
          '      protocol: 4',
        ].join('\n'),
      ),
      { OPENCLAW_GATEWAY_TOKEN: 'oc_secret' },
    );
    expect(config.agents[0]!.gateway).toEqual({
      url: 'ws://127.0.0.1:18789',
      token: 'oc_secret',
      session: 'agent:main:main',
      protocol: 4,
    });
    expect(() =>
      parseRunnerConfig(
        {
          gatewayUrl: 'http://x',
          agents: [
            {
              key: 'mc_k',
              adapter: 'openclaw',
              gateway: { url: 'ws://x', tokenEnv: 'NOPE', session: 'new' },
            },
          ],
        },
        {},
      ),
    ).toThrow('agents.0.gateway.tokenEnv: the environment has no NOPE');
  });

  it('says what is wrong with a gateway: missing, misplaced, or not as it should be', () => {
    const problem = (() => {
      try {
        parseRunnerConfig({
          gatewayUrl: 'http://x',
          agents: [
            { key: 'mc_k', adapter: 'openclaw' },
            { key: 'mc_k', adapter: 'codex', gateway: { url: 'ws://x' } },
            {
              key: 'mc_k',
              adapter: 'openclaw',
              gateway: { url: 'http://x', token: 't', tokenEnv: 'T', sesion: 'main' },
            },
          ],
        });
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const part of [
      'agents[0].gateway',
      'adapter openclaw needs gateway: { url, token or tokenEnv, session }',
      'agents[1].gateway',
      'gateway is for adapter openclaw, not codex',
      'agents[2].gateway',
      'a ws:// or wss:// URL',
      'sesion',
    ]) {
      expect(problem).toContain(part);
    }
  });

  it('says when the file cannot be read', async () => {
    await expect(loadRunnerConfig(path.join(dir, 'absent.yaml'))).rejects.toThrow(
      /Cannot read the runner's configuration/,
    );
  });
});
