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
