'use client';

import { useQuery } from '@tanstack/react-query';
import { AgentsDocument } from '../../graphql/generated';
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
