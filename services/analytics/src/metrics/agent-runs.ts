export const BILLINGS = ['metered', 'subscription'] as const;
/** How a run's model use is paid for: a subscription run's cost is an estimate at list price. */
export type Billing = (typeof BILLINGS)[number];

/** One agent's runs of one billing over a range, summed from the agent_run points in it. */
export type RunTotals = {
  agentId: string;
  billing: Billing;
  /** Runs started in the range. */
  started: number;
  /** Runs that ended in the range, and how many of those succeeded. */
  finished: number;
  succeeded: number;
  /** The durations of the runs that ended in the range, added up. */
  durationSeconds: number;
  /** Usage reported in the range. */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costMicroUsd: number;
  /** Usage reports no price was known for. */
  unpricedReports: number;
};

/** One agent's claims made in the range: how many of each span are known, and their sums. */
export type ResponseTotals = {
  agentId: string;
  /** Assigned → claimed. */
  claims: number;
  claimSeconds: number;
  /** Claimed → the first log line of the claim's runs. */
  firstOutputs: number;
  firstOutputSeconds: number;
  /** Assigned → that first log line. */
  responses: number;
  responseSeconds: number;
};

/** Usage of one billing reported in one bucket (a bucket start, time-buckets.ts). */
export type CostBucket = {
  time: Date;
  billing: Billing;
  costMicroUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
};

export const isBilling = (value: string): value is Billing =>
  (BILLINGS as readonly string[]).includes(value);

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The order {@link MetricsStore.runTotals} promises: by agent, then billing. */
export const byAgentThenBilling = (a: RunTotals, b: RunTotals): number =>
  byString(a.agentId, b.agentId) || byString(a.billing, b.billing);

/** The order {@link MetricsStore.costs} promises: by time, then billing. */
export const byTimeThenBilling = (a: CostBucket, b: CostBucket): number =>
  a.time.getTime() - b.time.getTime() || byString(a.billing, b.billing);
