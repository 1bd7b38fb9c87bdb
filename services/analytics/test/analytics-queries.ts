/** The subgraph's queries as the web app and integrators send them. */
export const SEARCH = `query ($ws: ID!, $query: String!, $filters: SearchFilters, $first: Int) {
  search(workspaceId: $ws, query: $query, filters: $filters, first: $first) {
    total tookMs
    hits { kind missionId commentId title column score highlights { field fragments } }
  }
}`;

export const THROUGHPUT = `query ($ws: ID!, $from: DateTime!, $to: DateTime!, $interval: MetricInterval) {
  missionThroughput(workspaceId: $ws, from: $from, to: $to, interval: $interval) { time created done }
}`;

export const UTILISATION = `query ($ws: ID!, $from: DateTime!, $to: DateTime!) {
  agentUtilisation(workspaceId: $ws, from: $from, to: $to) {
    agentId busySeconds idleSeconds offlineSeconds utilisation
  }
}`;

export const COST_OVER_TIME = `query ($ws: ID!, $from: DateTime!, $to: DateTime!, $interval: MetricInterval, $agentId: ID) {
  costOverTime(workspaceId: $ws, from: $from, to: $to, interval: $interval, agentId: $agentId) {
    time costUsd estimatedCostUsd inputTokens outputTokens cachedInputTokens
  }
}`;

export const AGENT_RUN_STATS = `query ($ws: ID!, $from: DateTime!, $to: DateTime!, $first: Int, $after: String) {
  agentRunStats(workspaceId: $ws, from: $from, to: $to, first: $first, after: $after) {
    totalCount
    pageInfo { endCursor hasNextPage }
    nodes {
      agentId runs finishedRuns succeededRuns successRate inputTokens outputTokens
      cachedInputTokens costUsd estimatedCostUsd unpricedReports meanRunSeconds
      meanClaimSeconds meanFirstOutputSeconds meanResponseSeconds
    }
  }
}`;

export type SearchHitView = {
  kind: 'MISSION' | 'COMMENT';
  missionId: string;
  commentId: string | null;
  title: string;
  column: string | null;
  score: number;
  highlights: { field: string; fragments: string[] }[];
};
export type SearchView = { search: { total: number; tookMs: number; hits: SearchHitView[] } };
export type ThroughputView = {
  missionThroughput: { time: string; created: number; done: number }[];
};
export type UtilisationView = {
  agentUtilisation: {
    agentId: string;
    busySeconds: number;
    idleSeconds: number;
    offlineSeconds: number;
    utilisation: number;
  }[];
};
export type CostPointView = {
  time: string;
  costUsd: number;
  estimatedCostUsd: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
};
export type CostOverTimeView = { costOverTime: CostPointView[] };
export type AgentRunStatsView = {
  agentRunStats: {
    totalCount: number;
    pageInfo: { endCursor: string | null; hasNextPage: boolean };
    nodes: {
      agentId: string;
      runs: number;
      finishedRuns: number;
      succeededRuns: number;
      successRate: number | null;
      inputTokens: number;
      outputTokens: number;
      cachedInputTokens: number;
      costUsd: number;
      estimatedCostUsd: number;
      unpricedReports: number;
      meanRunSeconds: number | null;
      meanClaimSeconds: number | null;
      meanFirstOutputSeconds: number | null;
      meanResponseSeconds: number | null;
    }[];
  };
};

export const HOST_USAGE = `query ($ws: ID!, $host: ID!, $from: DateTime!, $to: DateTime!, $interval: HostUsageInterval) {
  hostUsage(workspaceId: $ws, hostId: $host, from: $from, to: $to, interval: $interval) {
    time samples cpuPercent memoryUsedBytes memoryTotalBytes
  }
}`;
