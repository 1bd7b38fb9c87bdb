import { commandAdapter, parseCommandLine } from '@mission-control/runner';
import {
  costOf,
  phaseAt,
  planTranscript,
  PROGRESS_PREFIX,
  seededRandom,
  type Transcript,
  USAGE_PREFIX,
} from './demo-model.transcript';

const TITLE = 'Index missions by workspace and column';
const input = (runId: string) => ({
  runId,
  title: TITLE,
  model: 'claude-sonnet-4-5',
  paceMs: 1_000,
});
const lines = (transcript: Transcript) => transcript.steps.flatMap((step) => step.lines);
const usages = (transcript: Transcript) =>
  lines(transcript)
    .filter((line) => line.text.startsWith(USAGE_PREFIX))
    .map((line) => JSON.parse(line.text.slice(USAGE_PREFIX.length)) as Record<string, number>);
const progress = (transcript: Transcript) =>
  lines(transcript)
    .filter((line) => line.text.startsWith(PROGRESS_PREFIX))
    .map(
      (line) =>
        JSON.parse(line.text.slice(PROGRESS_PREFIX.length)) as { note: string; percent: number },
    );

/** Runs 0…n-1, a few hundred of them: enough to see the share of failures. */
const many = (n: number) =>
  Array.from({ length: n }, (_, index) => planTranscript(input(`run-${index}`)));

describe('the demo model’s transcript', () => {
  it('is the same for the same run, and another for another run', () => {
    expect(planTranscript(input('run-a'))).toEqual(planTranscript(input('run-a')));
    expect(planTranscript(input('run-a'))).not.toEqual(planTranscript(input('run-b')));
    const random = seededRandom('x');
    const draws = Array.from({ length: 1_000 }, random);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
  });

  it('succeeds in about seven runs in eight, and fails the others part-way with exit code 1', () => {
    const runs = many(400);
    const failed = runs.filter((run) => run.exitCode === 1);
    expect(failed.length / runs.length).toBeGreaterThan(0.07);
    expect(failed.length / runs.length).toBeLessThan(0.2);
    for (const run of failed) {
      expect(
        lines(run).some((line) => line.stream === 'stderr' && line.text.includes('FAIL')),
      ).toBe(true);
      expect(progress(run).at(-1)?.percent ?? 0).toBeLessThanOrEqual(30);
    }
    for (const run of runs.filter((each) => each.exitCode === 0)) {
      expect(progress(run).at(-1)).toEqual({ note: 'Done', percent: 100 });
      expect(lines(run).some((line) => line.text.includes(`Done with “${TITLE}”`))).toBe(true);
    }
  });

  it('takes 7.5 to 30 times the pace, printing a step every 0.75 to 2.5 of it, in order', () => {
    for (const run of many(100).filter((each) => each.exitCode === 0)) {
      const times = run.steps.map((step) => step.atMs);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(times.at(-1)).toBeGreaterThanOrEqual(7_500);
      expect(times.at(-1)).toBeLessThanOrEqual(30_000);
      const gaps = times.slice(1, -1).map((at, index) => at - times[index]!);
      expect(Math.max(...gaps.slice(1))).toBeLessThanOrEqual(2_500);
    }
  });

  it('goes through reading, changing, testing and review, its percent only ever rising', () => {
    const run = many(50).find((each) => each.exitCode === 0 && each.steps.length > 12)!;
    const notes = progress(run).map((each) => each.note);
    expect([...new Set(notes)]).toEqual([
      'Reading the code',
      'Making the change',
      'Running the tests',
      'Addressing review comments',
      'Done',
    ]);
    const percents = progress(run).map((each) => each.percent);
    expect(percents).toEqual([...percents].sort((a, b) => a - b));
    expect(lines(run).some((line) => line.text.includes('\x1b['))).toBe(true);
    expect(lines(run).some((line) => line.text.includes('EXPLAIN ANALYZE'))).toBe(true);
  });

  it('reports tokens the runner’s command adapter reads, priced at the model’s list price', () => {
    const run = planTranscript(input('run-priced'));
    const reported = usages(run);
    expect(reported.length).toBeGreaterThanOrEqual(1);
    for (const line of lines(run).filter((each) => each.text.startsWith(USAGE_PREFIX))) {
      expect(parseCommandLine('stdout', line.text)).toEqual([
        { type: 'usage', usage: JSON.parse(line.text.slice(USAGE_PREFIX.length)) },
      ]);
    }
    for (const usage of reported) {
      expect(usage.cachedInputTokens).toBeLessThan(usage.inputTokens!);
      expect(usage.costUsd).toBe(
        costOf({
          model: 'claude-sonnet-4-5',
          inputTokens: usage.inputTokens!,
          cachedInputTokens: usage.cachedInputTokens!,
          outputTokens: usage.outputTokens!,
        }),
      );
    }
    // 100k input tokens, 80k of them cached, and 2k output at Sonnet's $3 / $0.30 / $15.
    expect(
      costOf({
        model: 'claude-sonnet-4-5',
        inputTokens: 100_000,
        cachedInputTokens: 80_000,
        outputTokens: 2_000,
      }),
    ).toBe(0.114);
    expect(
      costOf({
        model: 'a-model-nobody-prices',
        inputTokens: 1,
        cachedInputTokens: 0,
        outputTokens: 1,
      }),
    ).toBeUndefined();
  });

  it('says how the run went in a summary the command adapter reads, and nothing it cannot read', () => {
    for (const run of many(40)) {
      const parser = commandAdapter({ command: 'demo-model' }).parser();
      const events = lines(run).flatMap((line) => parser.line(line.stream, line.text));
      expect(events.filter((event) => event.type === 'invalid')).toEqual([]);
      expect(events.some((event) => event.type === 'progress')).toBe(true);
      const ended = parser.end({ code: run.exitCode, signal: null });
      expect(ended.outcome).toBe(run.exitCode === 0 ? 'SUCCEEDED' : 'FAILED');
      expect(ended.summary).toMatch(
        run.exitCode === 0 ? `Finished “${TITLE}”: ` : /Giving up on this attempt\.$/,
      );
    }
  });

  it('names the phase of a run by the share of its time gone', () => {
    expect([0, 0.3, 0.6, 0.8].map(phaseAt)).toEqual([
      'reading',
      'changing',
      'testing',
      'reviewing',
    ]);
  });
});
