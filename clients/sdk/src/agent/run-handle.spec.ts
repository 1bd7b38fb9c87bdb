import type { MissionControlClient } from '../client/mission-control.client';
import { MissionControlError } from '../errors/mission-control.error';
import type { LiveEvent } from '../live/live-connection';
import { outcomeOf, RunEndedError, RunHandle, runEndedOf } from './run-handle';

const mission = {
  id: 'm1',
  workspaceId: 'w1',
  title: 'Land',
  description: '',
  priority: 'HIGH' as const,
  tags: [],
  column: 'IN_PROGRESS' as const,
  claimEpoch: 1,
  leaseExpiresAt: null,
};
const runState = {
  id: 'r1',
  missionId: 'm1',
  status: 'RUNNING' as const,
  inputTokens: 0,
  outputTokens: 0,
  costUsd: 0,
  costEstimated: false,
  budgetId: null,
};

type RunRead = Omit<typeof runState, 'status' | 'budgetId'> & {
  status: string;
  summary: string;
  budgetId: string | null;
};

function fakeClient() {
  const calls: string[] = [];
  const client = {
    appendRunLog: jest.fn((_ws: string, _run: string, lines: { text: string }[]) => {
      calls.push(`log ${lines.map((line) => line.text).join(',')}`);
      return Promise.resolve({ firstPosition: 1, lastPosition: lines.length });
    }),
    finishRun: jest.fn((_ws: string, _run: string, outcome: string) => {
      calls.push(`finish ${outcome}`);
      return Promise.resolve({ ...runState, status: outcome, summary: '' });
    }),
    moveMission: jest.fn((_ws: string, _id: string, column: string) => {
      calls.push(`move ${column}`);
      return Promise.resolve({ id: 'm1', column });
    }),
    releaseMission: jest.fn((_ws: string, id: string) => {
      calls.push(`release ${id}`);
      return Promise.resolve({ id, claimedBy: null });
    }),
    run: jest.fn<Promise<RunRead>, []>(() =>
      Promise.resolve({
        ...runState,
        status: 'CANCELLED',
        summary: 'Budget "Daily" exceeded',
        budgetId: 'b1',
      }),
    ),
    noteRunProgress: jest.fn(() =>
      Promise.resolve({ id: 'r1', progressNote: '', progressPercent: null }),
    ),
    reportRunUsage: jest.fn(() => Promise.resolve(runState)),
  };
  return {
    client,
    calls,
    sut: (options = {}) =>
      new RunHandle(client as unknown as MissionControlClient, runState, mission, options),
  };
}

const conflict = () => new MissionControlError({ code: 'CONFLICT', message: 'The run has ended' });

const runFinished = (runId: string, data: Record<string, unknown>): LiveEvent => ({
  id: 'e1',
  type: 'mission.v1.RunFinished',
  subject: runId,
  workspaceId: 'w1',
  time: '2026-12-07T10:00:00Z',
  data: { runId, ...data },
  position: '42',
});

describe('runEndedOf', () => {
  it('reads the end of a run from its RunFinished event, protobuf names and all', () => {
    expect(
      runEndedOf(
        runFinished('r1', { outcome: 'RUN_OUTCOME_CANCELLED', summary: 'stop', budgetId: 'b1' }),
      ),
    ).toEqual({ runId: 'r1', outcome: 'CANCELLED', summary: 'stop', budgetId: 'b1' });
    expect(runEndedOf({ ...runFinished('r1', {}), type: 'mission.v1.RunLogAppended' })).toBeNull();
    expect(outcomeOf('TIMED_OUT')).toBe('TIMED_OUT');
  });
});

describe('RunHandle', () => {
  it('aborts its signal when the server pushes the run’s end, and drops later lines', async () => {
    const { client, sut } = fakeClient();
    const onSettled = jest.fn();
    const run = sut({ onSettled });
    run.handleEvent(runFinished('another-run', { outcome: 'RUN_OUTCOME_CANCELLED' }));
    expect(run.signal.aborted).toBe(false);

    run.handleEvent(
      runFinished('r1', {
        outcome: 'RUN_OUTCOME_CANCELLED',
        summary: 'Budget "Daily" exceeded',
        budgetId: 'b1',
      }),
    );
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toBeInstanceOf(RunEndedError);
    expect((run.signal.reason as RunEndedError).ended).toEqual({
      runId: 'r1',
      outcome: 'CANCELLED',
      summary: 'Budget "Daily" exceeded',
      budgetId: 'b1',
    });
    expect(onSettled).toHaveBeenCalledTimes(1);
    run.log('stdout', 'too late');
    await run.flush();
    expect(client.appendRunLog).not.toHaveBeenCalled();
    await expect(run.finish()).rejects.toBeInstanceOf(RunEndedError);
  });

  it('sends its last lines before finishing, then moves the mission and ends the claim; its own end aborts nothing', async () => {
    const { calls, sut } = fakeClient();
    const run = sut({ flushAfterMs: 60_000 });
    run.log('stdout', 'a\nb');
    run.log('stderr', 'c');
    await run.finish('SUCCEEDED', { summary: 'ok', moveTo: 'DONE' });
    run.handleEvent(runFinished('r1', { outcome: 'RUN_OUTCOME_SUCCEEDED' }));
    expect(calls).toEqual(['log a,b,c', 'finish SUCCEEDED', 'move DONE', 'release m1']);
    expect(run.signal.aborted).toBe(false);
    expect(run.settled).toBe(true);
  });

  it('learns from a refused log write that the run ended, when no push came', async () => {
    const { client, sut } = fakeClient();
    client.appendRunLog.mockRejectedValueOnce(conflict());
    const onError = jest.fn();
    const run = sut({ onError });
    run.log('stdout', 'x');
    await expect(run.flush()).rejects.toMatchObject({ code: 'CONFLICT' });
    await new Promise((resolve) => setImmediate(resolve));
    expect(run.signal.aborted).toBe(true);
    expect((run.signal.reason as RunEndedError).ended.budgetId).toBe('b1');
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ code: 'CONFLICT' }));
  });

  it('throws the run’s end when finishing a run the server ended first', async () => {
    const { client, sut } = fakeClient();
    client.finishRun.mockRejectedValueOnce(conflict());
    const run = sut();
    const error = await run.finish('SUCCEEDED').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RunEndedError);
    expect((error as RunEndedError).message).toBe(
      'Run r1 ended on the server: CANCELLED (Budget "Daily" exceeded)',
    );
  });

  it('aborts on a refusal while the run still runs: the claim is gone', async () => {
    const { client, sut } = fakeClient();
    client.run.mockResolvedValueOnce({ ...runState, summary: '', budgetId: null });
    client.noteRunProgress.mockRejectedValueOnce(conflict());
    const run = sut();
    await expect(run.progress('half', 50)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(run.signal.aborted).toBe(true);
    expect(run.signal.reason).toMatchObject({ code: 'CONFLICT', message: 'The run has ended' });
  });
});
