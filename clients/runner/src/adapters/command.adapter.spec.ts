import { commandAdapter, parseCommandLine } from './command.adapter';

const brief = {
  missionId: 'm-1',
  runId: 'r-1',
  title: 'Collect regolith samples',
  description: 'Two kinds.',
  acceptanceCriteria: '- two samples',
  workFolder: '/work/r-1',
  missionFile: '/work/r-1/MISSION.md',
  prompt: 'the prompt',
};

describe('the command adapter', () => {
  it('writes the prompt to stdin by default, filling the arguments in', () => {
    const adapter = commandAdapter({
      command: './agent.sh',
      args: ['--mission', '{{missionFile}}', '{{nope}}'],
    });
    expect(adapter.command(brief)).toEqual({
      command: './agent.sh',
      args: ['--mission', '/work/r-1/MISSION.md', '{{nope}}'],
      stdin: 'the prompt',
      env: {},
    });
  });

  it('passes the prompt as the last argument, or where an argument asks for it', () => {
    expect(
      commandAdapter({ command: 'aider', args: ['--yes'], promptVia: 'argument' }).command(brief)
        .args,
    ).toEqual(['--yes', 'the prompt']);
    const placed = commandAdapter({
      command: 'llm',
      args: ['-m', 'x', '--', '{{prompt}}', '--json'],
      promptVia: 'argument',
    });
    expect(placed.command(brief).args).toEqual(['-m', 'x', '--', 'the prompt', '--json']);
  });

  it('keeps every line as printed, colours included, and reads usage lines', () => {
    expect(parseCommandLine('stdout', '\u001b[32mok\u001b[0m')).toEqual([
      { type: 'log', stream: 'stdout', text: '\u001b[32mok\u001b[0m' },
    ]);
    expect(
      parseCommandLine(
        'stdout',
        '::mc:usage {"model":"gpt-5","inputTokens":10,"outputTokens":2,"costUsd":0.01}',
      ),
    ).toEqual([
      { type: 'usage', usage: { model: 'gpt-5', inputTokens: 10, outputTokens: 2, costUsd: 0.01 } },
    ]);
    // On stderr it is just a line.
    expect(parseCommandLine('stderr', '::mc:usage {}')).toEqual([
      { type: 'log', stream: 'stderr', text: '::mc:usage {}' },
    ]);
  });

  it('names a usage line it cannot read as a parse error', () => {
    expect(parseCommandLine('stdout', '::mc:usage {oops')).toEqual([
      { type: 'invalid', error: expect.stringMatching(/^usage line is not JSON/) },
    ]);
    expect(
      parseCommandLine('stdout', '::mc:usage {"model":"m","inputTokens":-1,"outputTokens":0}'),
    ).toEqual([{ type: 'invalid', error: expect.stringContaining('inputTokens') }]);
  });

  it('reads progress lines as where the work has got to, and names one it cannot read', () => {
    expect(
      parseCommandLine('stdout', '::mc:progress {"note":"Running the tests","percent":60}'),
    ).toEqual([{ type: 'progress', note: 'Running the tests', percent: 60 }]);
    expect(parseCommandLine('stdout', '::mc:progress {"note":"Reading the code"}')).toEqual([
      { type: 'progress', note: 'Reading the code' },
    ]);
    expect(parseCommandLine('stdout', '::mc:progress {"note":"x","percent":140}')).toEqual([
      { type: 'invalid', error: expect.stringContaining('progress line refused') as string },
    ]);
  });

  it('takes the last summary line as the run’s summary when the script ends by itself', () => {
    const parser = commandAdapter({ command: 'fix-it' }).parser();
    expect(parser.line('stdout', '::mc:summary Reading first')).toEqual([]);
    expect(
      parser.line('stdout', '::mc:summary Fixed the flaky test: an await was missing'),
    ).toEqual([]);
    expect(parser.end({ code: 0, signal: null })).toEqual({
      outcome: 'SUCCEEDED',
      summary: 'Fixed the flaky test: an await was missing',
    });
    expect(parser.end({ code: 1, signal: null })).toEqual({
      outcome: 'FAILED',
      summary: 'Fixed the flaky test: an await was missing',
    });
    expect(parser.end({ code: null, signal: 'SIGKILL' })).toEqual({
      outcome: 'FAILED',
      summary: 'fix-it was killed by SIGKILL',
    });
    expect(commandAdapter({ command: 'fix-it' }).parser().end({ code: 0, signal: null })).toEqual({
      outcome: 'SUCCEEDED',
      summary: 'fix-it exited with code 0',
    });
  });

  it('succeeds on exit code 0 and fails otherwise', () => {
    const parser = commandAdapter({ command: 'agent' }).parser();
    expect(parser.end({ code: 0, signal: null }).outcome).toBe('SUCCEEDED');
    expect(parser.end({ code: 3, signal: null })).toEqual({
      outcome: 'FAILED',
      summary: 'agent exited with code 3',
    });
    expect(parser.end({ code: null, signal: null, error: 'spawn agent ENOENT' })).toEqual({
      outcome: 'FAILED',
      summary: 'agent could not start: spawn agent ENOENT',
    });
  });
});
