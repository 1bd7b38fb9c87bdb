'use client';

import { useQuery } from '@tanstack/react-query';
import {
  AgentsDocument,
  RunningRunsDocument,
  type RunningRunsQuery,
} from '../../graphql/generated';
import type { RunningRun } from './agent-work-model';
import { useGraphQL } from '../../lib/session/session-provider';

export const agentsKey = (workspaceId: string) => ['agents', workspaceId] as const;

/** The workspace's roster, shared by the board, mission and analytics pages. */
export function useAgents(workspaceId: string) {
  const gql = useGraphQL();
  return useQuery({
    queryKey: agentsKey(workspaceId),
    queryFn: ({ signal }) => gql(AgentsDocument, { workspaceId }, signal),
    select: (data) => data.agents,
  });
}

export const runningRunsKey = (workspaceId: string) => ['running-runs', workspaceId] as const;

/** Every run going on in the workspace (one per claim at most), all pages of them. */
export function useRunningRuns(workspaceId: string) {
  const gql = useGraphQL();
  return useQuery({
    queryKey: runningRunsKey(workspaceId),
    queryFn: async ({ signal }) => {
      const runs: RunningRun[] = [];
      let after: string | null = null;
      for (;;) {
        const page: RunningRunsQuery['runs'] = (
          await gql(RunningRunsDocument, { workspaceId, after }, signal)
        ).runs;
        runs.push(...page.nodes);
        if (!page.pageInfo.hasNextPage || page.pageInfo.endCursor === null) {
          return runs;
        }
        after = page.pageInfo.endCursor;
      }
    },
  });
}
