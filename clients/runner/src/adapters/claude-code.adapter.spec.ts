import { logsOf, parseTranscript } from '../../test/support/fixtures';
import { claudeCodeAdapter, claudeCodeParser } from './claude-code.adapter';

const brief = {
  missionId: 'm-1',
  runId: 'r-1',
  title: 'Collect regolith samples',
  description: 'Two kinds.',
  acceptanceCriteria: '',
  workFolder: '/work/r-1',
  missionFile: '/work/r-1/MISSION.md',
  prompt: 'Collect two samples',
};

describe('the claude-code adapter', () => {
  it('runs claude in print mode with stream-json output, verbose, the prompt last', () => {
    const adapter = claudeCodeAdapter({
      model: 'claude-sonnet-4-5',
      permissionMode: 'acceptEdits',
    });
    expect(adapter.command(brief)).toEqual({
      command: 'claude',
      args: [
        '-p',
        '--output-format',
        'stream-json',
        '--verbose',
        '--model',
        'claude-sonnet-4-5',
        '--permission-mode',
        'acceptEdits',
        'Collect two samples',
      ],
      env: {},
    });
    expect(adapter.run).toEqual({
      adapter: 'claude-code',
      model: 'claude-sonnet-4-5',
      provider: 'anthropic',
    });
  });

  it('refuses options it does not know', () => {
    expect(() => claudeCodeAdapter({ modle: 'x' } as never)).toThrow(/modle/);
  });

  it('turns messages and tool calls into readable lines and the result into usage with its own cost', () => {
    const parser = claudeCodeParser();
    const events = parseTranscript(parser, 'claude-code/success.jsonl');
    expect(logsOf(events)).toEqual([
      'system: Claude Code session 9b2f1c0e-5a7d-4c1e-8f3a-2d6b7e9c1a40: model claude-sonnet-4-5-20250929, 9 tools',
      "stdout: I'll start by looking at the project layout.",
      'system: → Bash: ls -la && cat MISSION.md',
      'system: ← Bash: 4 lines',
      'stdout:   total 8',
      'stdout:   drwx------ 2 runner runner 4096 Dec  7 10:00 .',
      'stdout:   -rw-r--r-- 1 runner runner  212 Dec  7 10:00 MISSION.md',
      'stdout:   # Collect regolith samples',
      'system: → Read: /work/runs/run/notes.txt',
      'stderr: ← Read failed: 1 line',
      'stderr:   <tool_use_error>File does not exist.</tool_use_error>',
      'system: → TodoWrite: 1/2 done',
      'system: ← TodoWrite: 1 line',
      'stdout:   Todos have been modified successfully. Ensure that you continue to use the todo list to track your progress. Please proceed with the current tasks if applicable',
      'system: → Write: /work/runs/run/samples.md',
      'system: ← Write: 1 line',
      'stdout:   File created successfully at: /work/runs/run/samples.md',
      'stdout: Collected two samples and wrote them to samples.md.',
      'stdout: Both are catalogued.',
      'system: result: success, 7 turns, $0.0461',
    ]);
    // The agent's plan, as the run's progress.
    expect(events.filter((event) => event.type === 'progress')).toEqual([
      { type: 'progress', note: 'Writing samples.md', percent: 50 },
    ]);
    expect(events.filter((event) => event.type === 'usage')).toEqual([
      {
        type: 'usage',
        usage: {
          model: 'claude-sonnet-4-5-20250929',
          inputTokens: 24 + 2424 + 60574,
          cachedInputTokens: 60574,
          outputTokens: 178,
          costUsd: 0.0461298,
        },
      },
    ]);
    expect(parser.end({ code: 0, signal: null })).toEqual({
      outcome: 'SUCCEEDED',
      summary: 'Collected two samples and wrote them to samples.md.\nBoth are catalogued.',
    });
  });

  it('fails the run on an error result, still counting what it cost', () => {
    const parser = claudeCodeParser();
    const events = parseTranscript(parser, 'claude-code/error-max-turns.jsonl');
    expect(logsOf(events).slice(-3)).toEqual([
      'stderr: ← Bash failed: 1 line',
      'stderr:   npm ERR! Missing script: "test"',
      'stderr: result: error_max_turns (error), 2 turns, $0.0123',
    ]);
    expect(events.find((event) => event.type === 'usage')).toMatchObject({
      usage: { inputTokens: 27124, cachedInputTokens: 27116, outputTokens: 41, costUsd: 0.0123 },
    });
    expect(parser.end({ code: 1, signal: null })).toEqual({
      outcome: 'FAILED',
      summary: 'Claude Code: error_max_turns',
    });
  });

  it('names a line that is not JSON as a parse error', () => {
    const events = parseTranscript(claudeCodeParser(), 'claude-code/garbage.jsonl');
    expect(events.at(-1)).toEqual({
      type: 'invalid',
      error: expect.stringMatching(
        /^Claude Code wrote a line that is not JSON \(.+\): Segmentation fault/,
      ),
    });
  });

  it('names a message whose shape is not the documented one', () => {
    const parser = claudeCodeParser();
    expect(parser.line('stdout', '{"type":"result","subtype":"success"}')).toEqual([
      {
        type: 'invalid',
        error: expect.stringContaining("Claude Code's result message is not as documented"),
      },
    ]);
    expect(parser.line('stdout', '[1,2]')).toEqual([
      { type: 'invalid', error: expect.stringContaining('not a message') },
    ]);
  });

  it('passes stderr through and skips message kinds it does not know', () => {
    const parser = claudeCodeParser();
    expect(parser.line('stderr', '\u001b[33mwarn\u001b[0m')).toEqual([
      { type: 'log', stream: 'stderr', text: '\u001b[33mwarn\u001b[0m' },
    ]);
    expect(parser.line('stdout', '{"type":"stream_event","event":{}}')).toEqual([]);
  });

  it('fails a run that ended without a result message, or with an exit code after a success', () => {
    const parser = claudeCodeParser();
    expect(parser.end({ code: 0, signal: null })).toEqual({
      outcome: 'FAILED',
      summary: 'Claude Code exited with code 0 without a result message',
    });
    parseTranscript(parser, 'claude-code/success.jsonl');
    expect(parser.end({ code: null, signal: 'SIGKILL' })).toEqual({
      outcome: 'FAILED',
      summary: 'Claude Code was killed by SIGKILL',
    });
  });
});
