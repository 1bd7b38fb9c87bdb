import { domainEvent, missionV1 } from '@mission-control/proto';
import { ALREADY_APPLIED, type EventMeta } from './event-meta';
import {
  claimSeen,
  evolveRun,
  firstOutputSeen,
  type ClaimState,
  type RunChange,
  type RunEvent,
  type RunState,
} from './run-state';

const ws = 'ws-1';
const t0 = new Date('2026-11-20T09:00:00Z');
const seconds = (n: number) => new Date(t0.getTime() + n * 1_000);
const meta = (version: number, time: Date): EventMeta => ({ version, time, workspaceId: ws });
const { Billing, CostSource, LogStream, RunOutcome } = missionV1;

const started = (billing = Billing.METERED) =>
  domainEvent('mission.v1.RunStarted', {
    runId: 'r-1',
    missionId: 'm-1',
    agentId: 'a-1',
    adapter: 'claude-code',
    model: 'claude-sonnet-4-5',
    provider: 'anthropic',
    billing,
    workspaceId: ws,
    claimEpoch: 2n,
  });
const logged = (...texts: string[]) =>
  domainEvent('mission.v1.RunLogAppended', {
    runId: 'r-1',
    lines: texts.map((text, index) => ({
      position: BigInt(index + 1),
      stream: LogStream.STDOUT,
      text,
    })),
  });
const usage = (costMicroUsd: bigint, costSource = CostSource.CATALOG) =>
  domainEvent('mission.v1.RunUsageReported', {
    runId: 'r-1',
    model: 'claude-sonnet-4-5',
    inputTokens: 10_000n,
    outputTokens: 2_000n,
    cachedInputTokens: 8_000n,
    costMicroUsd,
    costSource,
  });
const finished = (outcome: missionV1.RunOutcome) =>
  domainEvent('mission.v1.RunFinished', { runId: 'r-1', outcome });

/** Applies a run's events in order from nothing, at the given seconds; returns every change. */
function replay(events: [RunEvent, number][]): RunChange[] {
  let state: RunState | null = null;
  return events.map(([event, at], index) => {
    const change = evolveRun(state, event, meta(index + 1, seconds(at)));
    if (change === ALREADY_APPLIED) {
      throw new Error('unexpected');
    }
    state = change.state;
    return change;
  });
}

describe('evolveRun', () => {
  it('counts the start, each usage report and the end as points of the run’s agent and billing', () => {
    const changes = replay([
      [started(Billing.SUBSCRIPTION), 0],
      [logged('cloning'), 4],
      [usage(38_400n), 30],
      [usage(0n, CostSource.UNPRICED), 40],
      [finished(RunOutcome.SUCCEEDED), 90],
    ]);
    const tags = { workspace_id: ws, agent_id: 'a-1', run_id: 'r-1', billing: 'subscription' };
    expect(changes.flatMap((change) => change.points)).toEqual([
      {
        measurement: 'agent_run',
        tags,
        fields: { started: 1 },
        timestamp: `${seconds(0).getTime()}000001`,
      },
      {
        measurement: 'agent_run',
        tags,
        fields: {
          input_tokens: 10_000,
          output_tokens: 2_000,
          cached_input_tokens: 8_000,
          cost_micro_usd: 38_400,
          unpriced_reports: 0,
        },
        timestamp: `${seconds(30).getTime()}000003`,
      },
      expect.objectContaining({
        fields: expect.objectContaining({ cost_micro_usd: 0, unpriced_reports: 1 }),
      }),
      {
        measurement: 'agent_run',
        tags,
        fields: { finished: 1, succeeded: 1, duration_seconds: 90 },
        timestamp: `${seconds(90).getTime()}000005`,
      },
    ]);
  });

  it('tells the first log line once, and counts a run that did not succeed as finished only', () => {
    const changes = replay([
      [started(), 0],
      [logged(), 1],
      [logged('first', 'second'), 7],
      [logged('third'), 9],
      [finished(RunOutcome.ABANDONED), 60],
    ]);
    expect(changes.map((change) => change.firstOutputAt)).toEqual([
      null,
      null,
      seconds(7),
      null,
      null,
    ]);
    expect(changes[4]!.state.firstLogAt).toEqual(seconds(7));
    expect(changes[4]!.points[0]!.fields).toEqual({
      finished: 1,
      succeeded: 0,
      duration_seconds: 60,
    });
    expect(changes[0]!.points[0]!.tags.billing).toBe('metered');
  });

  it('skips an event its state already reflects', () => {
    const [change] = replay([[started(), 0]]);
    expect(evolveRun(change!.state, usage(1n), meta(1, seconds(5)))).toBe(ALREADY_APPLIED);
  });

  it('refuses a later event of a run it never saw start', () => {
    expect(() => evolveRun(null, usage(1n), meta(2, seconds(5)))).toThrow(/before its RunStarted/);
  });
});

describe('claim response times', () => {
  const [start] = replay([[started(), 60]]);
  const run = start!.state;
  const claimed = {
    missionId: 'm-1',
    epoch: 2,
    workspaceId: ws,
    agentId: 'a-1',
    assignedAt: seconds(0),
    at: seconds(20),
    version: 7,
  };
  const point = (fields: Record<string, number>) => ({
    measurement: 'agent_response',
    tags: { workspace_id: ws, agent_id: 'a-1', mission_id: 'm-1' },
    fields,
    timestamp: `${seconds(20).getTime()}000007`,
  });
  const all = point({ claim_seconds: 20, first_output_seconds: 45, response_seconds: 65 });

  it('times the claim, then the first output when the log follows', () => {
    const claim = claimSeen(null, claimed);
    expect(claim.points).toEqual([point({ claim_seconds: 20 })]);
    const output = firstOutputSeen(claim.state, run, seconds(65));
    expect(output?.points).toEqual([all]);
  });

  it('writes the same point when the log is seen before the claim (another partition)', () => {
    const early = firstOutputSeen(null, run, seconds(65));
    expect(early?.points).toEqual([]);
    expect(claimSeen(early!.state, claimed).points).toEqual([all]);
  });

  it('keeps the earliest first output of the claim’s runs, in any order', () => {
    const claim = claimSeen(null, claimed).state;
    const later = firstOutputSeen(claim, run, seconds(80))!.state;
    const earlier = firstOutputSeen(later, run, seconds(65));
    expect(earlier?.points).toEqual([all]);
    expect(firstOutputSeen(earlier!.state, run, seconds(80))).toBeNull();
  });

  it('leaves out what it cannot time: no assignment seen, or no claim yet', () => {
    const unassigned: ClaimState = claimSeen(null, { ...claimed, assignedAt: null }).state;
    expect(claimSeen(null, { ...claimed, assignedAt: null }).points).toEqual([]);
    expect(firstOutputSeen(unassigned, run, seconds(65))?.points).toEqual([
      point({ first_output_seconds: 45 }),
    ]);
  });
});
