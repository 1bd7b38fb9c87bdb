import { logsOf, parseTranscript } from '../../test/support/fixtures';
import { codexAdapter, codexParser } from './codex.adapter';

describe('the codex adapter', () => {
  it('runs codex exec with JSON events in the work folder, the prompt last', () => {
    const adapter = codexAdapter({ sandbox: 'workspace-write' });
    expect(
      adapter.command({
        missionId: 'm-1',
        runId: 'r-1',
        title: 't',
        description: '',
        acceptanceCriteria: '',
        workFolder: '/work/r-1',
        missionFile: '/work/r-1/MISSION.md',
        prompt: 'Do it',
      }),
    ).toEqual({
      command: 'codex',
      args: [
        'exec',
        '--json',
        '--model',
        'gpt-5-codex',
        '--cd',
        '/work/r-1',
        '--skip-git-repo-check',
        '--sandbox',
        'workspace-write',
        'Do it',
      ],
      env: {},
    });
    expect(adapter.run).toEqual({ adapter: 'codex', model: 'gpt-5-codex', provider: 'openai' });
  });

  it('turns items into readable lines and a turn’s usage into tokens the server prices', () => {
    const parser = codexParser({ model: 'gpt-5' });
    const events = parseTranscript(parser, 'codex/success.jsonl');
    expect(logsOf(events)).toEqual([
      'system: Codex thread 0199a213-81c0-7800-8aa1-bbab2a035a53',
      'system: turn 1',
      'system: thinking: **Planning the change** I need to read the mission file first.',
      "system: $ bash -lc 'cat MISSION.md'",
      'stdout:   # Collect regolith samples',
      'stdout:   ',
      'stdout:   Mission m-1, run r-1.',
      "system: exit code 0: bash -lc 'cat MISSION.md'",
      "system: $ bash -lc 'ls missing'",
      "stdout:   ls: cannot access 'missing': No such file or directory",
      "stderr: exit code 2: bash -lc 'ls missing'",
      'system: A samples.md',
      'system: M README.md',
      'stdout: Wrote samples.md with two samples.',
    ]);
    expect(events.filter((event) => event.type === 'progress')).toEqual([
      { type: 'progress', note: 'Write samples.md', percent: 50 },
    ]);
    expect(events.filter((event) => event.type === 'usage')).toEqual([
      {
        type: 'usage',
        usage: { model: 'gpt-5', inputTokens: 24763, cachedInputTokens: 24448, outputTokens: 122 },
      },
    ]);
    expect(parser.end({ code: 0, signal: null })).toEqual({
      outcome: 'SUCCEEDED',
      summary: 'Wrote samples.md with two samples.',
    });
  });

  it('fails the run when its turn failed, saying why', () => {
    const parser = codexParser();
    const events = parseTranscript(parser, 'codex/turn-failed.jsonl');
    expect(logsOf(events).slice(2)).toEqual([
      'stderr: error: Reconnecting... 1/5',
      'stderr: error: stream disconnected before completion',
      'stderr: turn failed: stream disconnected before completion: Transport error: error decoding response body',
    ]);
    expect(parser.end({ code: 1, signal: null })).toEqual({
      outcome: 'FAILED',
      summary:
        'stream disconnected before completion: Transport error: error decoding response body',
    });
  });

  it('names a cut-off line as a parse error', () => {
    const events = parseTranscript(codexParser(), 'codex/garbage.jsonl');
    expect(events.at(-1)).toEqual({
      type: 'invalid',
      error: expect.stringMatching(/^Codex wrote a line that is not JSON/),
    });
  });

  it('refuses a known event whose shape is not the documented one, and skips unknown ones', () => {
    const parser = codexParser();
    expect(parser.line('stdout', '{"type":"turn.completed"}')).toEqual([
      {
        type: 'invalid',
        error: expect.stringContaining("Codex's turn.completed event is not as documented"),
      },
    ]);
    expect(parser.line('stdout', '{"type":"session.configured","model":"gpt-5"}')).toEqual([]);
  });

  it('fails a run that exited without completing a turn', () => {
    const parser = codexParser();
    parseTranscript(parser, 'codex/spend-then-build.jsonl');
    expect(parser.end({ code: null, signal: 'SIGTERM' })).toEqual({
      outcome: 'FAILED',
      summary: 'Codex was killed by SIGTERM',
    });
    expect(codexParser().end({ code: 0, signal: null })).toEqual({
      outcome: 'FAILED',
      summary: 'Codex exited without completing a turn',
    });
  });
});
