import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { domainEvent, missionV1, type Actor } from '@mission-control/proto';
import { appendRunLog, finishRun, noteRunProgress, reportRunUsage, startRun } from './run.commands';
import { runDecider } from './run.decider';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const otherWorkspaceId = '0193a0c4-0000-7000-8000-00000000000b';
const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const runId = '0193a0c4-0000-7000-8000-0000000000e1';
const scout: Actor = { kind: 'agent', id: 'agent-scout' };
const rover: Actor = { kind: 'agent', id: 'agent-rover' };
const ada: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-000000000001' };
const code = (expected: string) => (error: unknown) =>
  error instanceof AppError && error.code === expected;

const started = domainEvent('mission.v1.RunStarted', {
  runId,
  missionId,
  workspaceId,
  claimEpoch: 1n,
  agentId: scout.id,
  adapter: 'claude-code',
  model: 'claude-sonnet-4-5',
  provider: 'anthropic',
  billing: missionV1.Billing.METERED,
});
const logged = (from: number, ...texts: string[]) =>
  domainEvent('mission.v1.RunLogAppended', {
    runId,
    lines: texts.map((text, index) => ({
      position: BigInt(from + index),
      stream: missionV1.LogStream.STDOUT,
      text,
    })),
  });
const finished = domainEvent('mission.v1.RunFinished', {
  runId,
  outcome: missionV1.RunOutcome.CANCELLED,
  summary: 'budget reached',
});

const log = (actor: Actor, texts: string[], workspace = workspaceId) =>
  appendRunLog({
    workspaceId: workspace,
    actor,
    data: { runId, lines: texts.map((text) => ({ stream: 'stdout' as const, text })) },
  });
const usage = (actor: Actor) =>
  reportRunUsage({
    workspaceId,
    actor,
    data: {
      runId,
      model: 'claude-sonnet-4-5',
      inputTokens: 1_000,
      outputTokens: 200,
      cachedInputTokens: 0,
      costMicroUsd: 6_000,
      costSource: 'catalog',
      priceCatalogVersion: 'v1',
    },
  });
const finish = (actor: Actor) =>
  finishRun({ workspaceId, actor, data: { runId, outcome: 'succeeded', summary: 'done' } });

describe('run decider', () => {
  it('starts a run for the agent that asks, in its workspace', () => {
    given(runDecider)
      .when(
        startRun({
          workspaceId,
          actor: scout,
          data: {
            runId,
            missionId,
            claimEpoch: 1,
            adapter: 'claude-code',
            model: 'claude-sonnet-4-5',
            provider: 'anthropic',
            billing: 'metered',
          },
        }),
      )
      .then([started]);
  });

  it('refuses a run started by a person, or started twice', () => {
    const start = (actor: Actor) =>
      startRun({
        workspaceId,
        actor,
        data: {
          runId,
          missionId,
          claimEpoch: 1,
          adapter: 'sdk',
          model: 'm',
          provider: 'p',
          billing: 'metered',
        },
      });
    given(runDecider).when(start(ada)).thenThrows(code('FORBIDDEN'));
    given(runDecider, [started]).when(start(scout)).thenThrows(code('CONFLICT'));
  });

  it('numbers log lines on from the last chunk, without gaps', () => {
    given(runDecider, [started, logged(1, 'a', 'b')])
      .when(log(scout, ['c', 'd', 'e']))
      .then([logged(3, 'c', 'd', 'e')]);
  });

  it("refuses another agent's writes, and hides the run from another workspace", () => {
    given(runDecider, [started])
      .when(log(rover, ['x']))
      .thenThrows(code('FORBIDDEN'));
    given(runDecider, [started]).when(usage(rover)).thenThrows(code('FORBIDDEN'));
    given(runDecider, [started]).when(finish(rover)).thenThrows(code('FORBIDDEN'));
    given(runDecider, [started])
      .when(log(scout, ['x'], otherWorkspaceId))
      .thenThrows(code('NOT_FOUND'));
    given(runDecider)
      .when(log(scout, ['x']))
      .thenThrows(code('NOT_FOUND'));
  });

  it('closes the log and refuses a second end once the run ended', () => {
    given(runDecider, [started, finished])
      .when(log(scout, ['late']))
      .thenThrows(code('CONFLICT'));
    given(runDecider, [started, finished]).when(finish(scout)).thenThrows(code('CONFLICT'));
  });

  it('still records usage reported after the run ended (a report can trail a stop)', () => {
    given(runDecider, [started, finished])
      .when(usage(scout))
      .then([
        domainEvent('mission.v1.RunUsageReported', {
          runId,
          model: 'claude-sonnet-4-5',
          inputTokens: 1_000n,
          outputTokens: 200n,
          cachedInputTokens: 0n,
          costMicroUsd: 6_000n,
          costSource: missionV1.CostSource.CATALOG,
          priceCatalogVersion: 'v1',
        }),
      ]);
  });

  it('lets a person end a run (the service checks their permission)', () => {
    given(runDecider, [started])
      .when(finishRun({ workspaceId, actor: ada, data: { runId, outcome: 'cancelled' } }))
      .then([
        domainEvent('mission.v1.RunFinished', {
          runId,
          outcome: missionV1.RunOutcome.CANCELLED,
          summary: '',
        }),
      ]);
  });
});

describe('run commands', () => {
  const refused = (make: () => unknown) => {
    try {
      make();
    } catch (error) {
      return error instanceof AppError ? error.code : 'not coded';
    }
    return 'accepted';
  };

  it('refuses negative tokens, cached beyond input, and oversized or broken log lines', () => {
    const report = (input: number, cached: number) => () =>
      reportRunUsage({
        workspaceId,
        actor: scout,
        data: {
          runId,
          model: 'm',
          inputTokens: input,
          outputTokens: 0,
          cachedInputTokens: cached,
          costMicroUsd: 0,
          costSource: 'unpriced',
          priceCatalogVersion: '',
        },
      });
    expect(refused(report(-1, 0))).toBe('VALIDATION_ERROR');
    expect(refused(report(10, 11))).toBe('VALIDATION_ERROR');
    expect(refused(report(10, 10))).toBe('accepted');
    expect(refused(() => log(scout, ['x'.repeat(8_193)]))).toBe('VALIDATION_ERROR');
    expect(refused(() => log(scout, ['two\nlines']))).toBe('VALIDATION_ERROR');
    expect(refused(() => log(scout, []))).toBe('VALIDATION_ERROR');
    expect(
      refused(() =>
        log(
          scout,
          Array.from({ length: 501 }, () => 'x'),
        ),
      ),
    ).toBe('VALIDATION_ERROR');
    expect(refused(() => log(scout, ['\u001b[32mgreen\u001b[0m']))).toBe('accepted');
  });
  it('notes progress from its agent while it runs, 0–100 when it can tell', () => {
    const note = (actor: Actor, percent?: number) =>
      noteRunProgress({ workspaceId, actor, data: { runId, note: 'tests: 40/52', percent } });
    given(runDecider, [started])
      .when(note(scout, 77))
      .then([
        domainEvent('mission.v1.RunProgressNoted', { runId, note: 'tests: 40/52', percent: 77 }),
      ]);
    given(runDecider, [started])
      .when(note(scout))
      .then([domainEvent('mission.v1.RunProgressNoted', { runId, note: 'tests: 40/52' })]);
    given(runDecider, [started]).when(note(rover)).thenThrows(code('FORBIDDEN'));
    given(runDecider, [started, finished]).when(note(scout)).thenThrows(code('CONFLICT'));
    expect(() => note(scout, 101)).toThrow('must be 0–100');
  });
});
