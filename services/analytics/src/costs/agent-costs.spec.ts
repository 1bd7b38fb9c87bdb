import type { ResponseTotals, RunTotals } from '../metrics/agent-runs';
import {
  agentRunStats,
  costSeries,
  decodeAgentCursor,
  encodeAgentCursor,
  pageOfAgents,
} from './agent-costs';

const totals = (agentId: string, billing: RunTotals['billing'], fields: Partial<RunTotals>) => ({
  agentId,
  billing,
  started: 0,
  finished: 0,
  succeeded: 0,
  durationSeconds: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  costMicroUsd: 0,
  unpricedReports: 0,
  ...fields,
});

const response = (agentId: string, fields: Partial<ResponseTotals>): ResponseTotals => ({
  agentId,
  claims: 0,
  claimSeconds: 0,
  firstOutputs: 0,
  firstOutputSeconds: 0,
  responses: 0,
  responseSeconds: 0,
  ...fields,
});

describe('agentRunStats', () => {
  it('adds an agent’s billings up, keeping the subscription’s cost as the estimated part', () => {
    const [scout] = agentRunStats(
      [
        totals('scout', 'metered', {
          started: 3,
          finished: 2,
          succeeded: 1,
          durationSeconds: 300,
          inputTokens: 1_000,
          costMicroUsd: 40_000,
        }),
        totals('scout', 'subscription', {
          started: 1,
          finished: 2,
          succeeded: 2,
          durationSeconds: 100,
          inputTokens: 500,
          costMicroUsd: 10_000,
          unpricedReports: 1,
        }),
      ],
      [response('scout', { claims: 2, claimSeconds: 30, firstOutputs: 1, firstOutputSeconds: 8 })],
    );
    expect(scout).toEqual({
      agentId: 'scout',
      runs: 4,
      finishedRuns: 4,
      succeededRuns: 3,
      successRate: 0.75,
      inputTokens: 1_500,
      outputTokens: 0,
      cachedInputTokens: 0,
      costMicroUsd: 50_000,
      estimatedCostMicroUsd: 10_000,
      unpricedReports: 1,
      meanRunSeconds: 100,
      meanClaimSeconds: 15,
      meanFirstOutputSeconds: 8,
      meanResponseSeconds: null,
    });
  });

  it('has no rate or means where nothing ended, and lists agents with claims only', () => {
    const stats = agentRunStats(
      [totals('busy', 'metered', { started: 1, costMicroUsd: 5 })],
      [response('waiting', { claims: 1, claimSeconds: 12 })],
    );
    expect(stats.map((agent) => [agent.agentId, agent.successRate, agent.meanRunSeconds])).toEqual([
      ['busy', null, null],
      ['waiting', null, null],
    ]);
    expect(stats[1]).toMatchObject({ runs: 0, costMicroUsd: 0, meanClaimSeconds: 12 });
  });
});

describe('costSeries', () => {
  it('gives every bucket of the range, both billings added and the estimated part apart', () => {
    const from = new Date('2025-06-02T00:00:00Z');
    const to = new Date('2025-06-05T00:00:00Z');
    const day = (iso: string) => new Date(iso);
    const usage = { inputTokens: 10, outputTokens: 2, cachedInputTokens: 1 };
    expect(
      costSeries(from, to, 'day', [
        { time: day('2025-06-02T00:00:00Z'), billing: 'metered', costMicroUsd: 100, ...usage },
        { time: day('2025-06-02T00:00:00Z'), billing: 'subscription', costMicroUsd: 50, ...usage },
        { time: day('2025-06-04T00:00:00Z'), billing: 'subscription', costMicroUsd: 7, ...usage },
      ]),
    ).toEqual([
      {
        time: from,
        costMicroUsd: 150,
        estimatedCostMicroUsd: 50,
        inputTokens: 20,
        outputTokens: 4,
        cachedInputTokens: 2,
      },
      {
        time: day('2025-06-03T00:00:00Z'),
        costMicroUsd: 0,
        estimatedCostMicroUsd: 0,
        inputTokens: 0,
        outputTokens: 0,
        cachedInputTokens: 0,
      },
      { time: day('2025-06-04T00:00:00Z'), costMicroUsd: 7, estimatedCostMicroUsd: 7, ...usage },
    ]);
  });
});

describe('paging agents', () => {
  const all = agentRunStats(
    ['a', 'b', 'c', 'd', 'e'].map((id, index) =>
      // b and c cost the same: ordered by id.
      totals(id, 'metered', { costMicroUsd: [10, 30, 30, 5, 0][index]! }),
    ),
    [],
  );

  it('lists who cost most first and walks the pages with the cursor it gives out', () => {
    expect(all.map((agent) => agent.agentId)).toEqual(['b', 'c', 'a', 'd', 'e']);
    const first = pageOfAgents(all, 2, null);
    expect(first.nodes.map((agent) => agent.agentId)).toEqual(['b', 'c']);
    expect(first).toMatchObject({ hasNextPage: true, totalCount: 5 });
    const second = pageOfAgents(all, 2, decodeAgentCursor(first.endCursor!));
    expect(second.nodes.map((agent) => agent.agentId)).toEqual(['a', 'd']);
    const last = pageOfAgents(all, 2, decodeAgentCursor(second.endCursor!));
    expect(last.nodes.map((agent) => agent.agentId)).toEqual(['e']);
    expect(last.hasNextPage).toBe(false);
    expect(pageOfAgents([], 2, null)).toEqual({
      nodes: [],
      endCursor: null,
      hasNextPage: false,
      totalCount: 0,
    });
  });

  it('refuses a cursor it did not give out', () => {
    for (const bad of ['', 'not a cursor', Buffer.from('[1]').toString('base64url')]) {
      expect(() => decodeAgentCursor(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_ERROR' }),
      );
    }
    expect(decodeAgentCursor(encodeAgentCursor(all[0]!))).toEqual({
      costMicroUsd: 30,
      agentId: 'b',
    });
  });
});
