import { AppError } from '@mission-control/errors';
import type { CostBucket, ResponseTotals, RunTotals } from '../metrics/agent-runs';
import { bucketStart, bucketStarts, type Interval } from '../metrics/time-buckets';

export const MAX_PAGE_SIZE = 100;

/** One agent's runs, usage and response times over a range. */
export type AgentRunStatsRecord = {
  agentId: string;
  runs: number;
  finishedRuns: number;
  succeededRuns: number;
  /** succeeded / finished; null when none finished. */
  successRate: number | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicroUsd: number;
  /** The part of costMicroUsd from subscription runs: an estimate at list price. */
  estimatedCostMicroUsd: number;
  unpricedReports: number;
  meanRunSeconds: number | null;
  meanClaimSeconds: number | null;
  meanFirstOutputSeconds: number | null;
  meanResponseSeconds: number | null;
};

/** Usage reported in one bucket, every bucket of the range present. */
export type CostPointRecord = {
  time: Date;
  costMicroUsd: number;
  estimatedCostMicroUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
};

const mean = (sum: number, count: number): number | null => (count > 0 ? sum / count : null);

function emptyStats(agentId: string): AgentRunStatsRecord {
  return {
    agentId,
    runs: 0,
    finishedRuns: 0,
    succeededRuns: 0,
    successRate: null,
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costMicroUsd: 0,
    estimatedCostMicroUsd: 0,
    unpricedReports: 0,
    meanRunSeconds: null,
    meanClaimSeconds: null,
    meanFirstOutputSeconds: null,
    meanResponseSeconds: null,
  };
}

/** The order agents are listed in: who cost most first, then by id (stable across pages). */
export const byCostThenAgent = (a: AgentCursor, b: AgentCursor): number =>
  b.costMicroUsd - a.costMicroUsd || (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0);

/**
 * Each agent with runs or claims in the range, its billings added up (a subscription's cost
 * kept apart as the estimated part), in {@link byCostThenAgent} order.
 */
export function agentRunStats(
  runs: readonly RunTotals[],
  responses: readonly ResponseTotals[],
): AgentRunStatsRecord[] {
  const stats = new Map<string, AgentRunStatsRecord & { durationSeconds: number }>();
  const of = (agentId: string) => {
    let found = stats.get(agentId);
    if (!found) {
      found = { ...emptyStats(agentId), durationSeconds: 0 };
      stats.set(agentId, found);
    }
    return found;
  };
  for (const row of runs) {
    const agent = of(row.agentId);
    agent.runs += row.started;
    agent.finishedRuns += row.finished;
    agent.succeededRuns += row.succeeded;
    agent.durationSeconds += row.durationSeconds;
    agent.inputTokens += row.inputTokens;
    agent.outputTokens += row.outputTokens;
    agent.cachedInputTokens += row.cachedInputTokens;
    agent.costMicroUsd += row.costMicroUsd;
    agent.unpricedReports += row.unpricedReports;
    if (row.billing === 'subscription') {
      agent.estimatedCostMicroUsd += row.costMicroUsd;
    }
  }
  for (const row of responses) {
    const agent = of(row.agentId);
    agent.meanClaimSeconds = mean(row.claimSeconds, row.claims);
    agent.meanFirstOutputSeconds = mean(row.firstOutputSeconds, row.firstOutputs);
    agent.meanResponseSeconds = mean(row.responseSeconds, row.responses);
  }
  return [...stats.values()]
    .map(({ durationSeconds, ...agent }) => ({
      ...agent,
      successRate: agent.finishedRuns > 0 ? agent.succeededRuns / agent.finishedRuns : null,
      meanRunSeconds: mean(durationSeconds, agent.finishedRuns),
    }))
    .sort(byCostThenAgent);
}

/** Every bucket of [from, to) in order, with the usage found for it and zeros elsewhere. */
export function costSeries(
  from: Date,
  to: Date,
  interval: Interval,
  found: readonly CostBucket[],
): CostPointRecord[] {
  const totals = new Map<number, Omit<CostPointRecord, 'time'>>();
  for (const entry of found) {
    const key = bucketStart(entry.time, interval).getTime();
    const total = totals.get(key) ?? {
      costMicroUsd: 0,
      estimatedCostMicroUsd: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
    };
    totals.set(key, {
      costMicroUsd: total.costMicroUsd + entry.costMicroUsd,
      estimatedCostMicroUsd:
        total.estimatedCostMicroUsd + (entry.billing === 'subscription' ? entry.costMicroUsd : 0),
      inputTokens: total.inputTokens + entry.inputTokens,
      outputTokens: total.outputTokens + entry.outputTokens,
      cachedInputTokens: total.cachedInputTokens + entry.cachedInputTokens,
    });
  }
  return bucketStarts(from, to, interval).map((time) => ({
    time,
    ...(totals.get(time.getTime()) ?? {
      costMicroUsd: 0,
      estimatedCostMicroUsd: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
    }),
  }));
}

/** Where a page of agents ends: the last one's cost and id, in the list's order. */
export type AgentCursor = { costMicroUsd: number; agentId: string };

export function encodeAgentCursor(stats: AgentRunStatsRecord): string {
  return Buffer.from(JSON.stringify([stats.costMicroUsd, stats.agentId])).toString('base64url');
}

const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;

function cursorOf(cursor: string): AgentCursor | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) {
      return null;
    }
    const [costMicroUsd, agentId] = parsed as unknown[];
    // Any id an event carried: the list holds what the projections saw.
    return typeof costMicroUsd === 'number' &&
      Number.isFinite(costMicroUsd) &&
      typeof agentId === 'string' &&
      agentId !== ''
      ? { costMicroUsd, agentId }
      : null;
  } catch {
    return null;
  }
}

/** The position a cursor stands for; a VALIDATION_ERROR naming `after` for anything else. */
export function decodeAgentCursor(cursor: string): AgentCursor {
  const position = BASE64URL.test(cursor) ? cursorOf(cursor) : null;
  if (!position) {
    const message = 'not a cursor a list of agents gave out';
    throw AppError.validation(`after: ${message}`, { fields: [{ path: 'after', message }] });
  }
  return position;
}

export function assertPageSize(first: number): void {
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    const message = `must be between 1 and ${MAX_PAGE_SIZE}`;
    throw AppError.validation(`first ${message}`, { fields: [{ path: 'first', message }] });
  }
}

export type AgentRunStatsPage = {
  nodes: AgentRunStatsRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
};

/** Up to `first` agents after the cursor, in the list's order. */
export function pageOfAgents(
  all: readonly AgentRunStatsRecord[],
  first: number,
  after: AgentCursor | null,
): AgentRunStatsPage {
  const rest = after ? all.filter((stats) => byCostThenAgent(stats, after) > 0) : all;
  const nodes = rest.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes,
    endCursor: last ? encodeAgentCursor(last) : null,
    hasNextPage: rest.length > first,
    totalCount: all.length,
  };
}
