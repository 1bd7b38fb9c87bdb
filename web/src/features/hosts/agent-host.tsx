'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { AgentHostDocument } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useHostRefresh } from './use-host-refresh';

/** The host an agent runs on, as one fact of the agent's page: a link, or none. */
export function AgentHostFact({ workspaceId, agentId }: { workspaceId: string; agentId: string }) {
  const gql = useGraphQL();
  const key = ['agent-host', workspaceId, agentId] as const;
  const host = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => gql(AgentHostDocument, { workspaceId, id: agentId }, signal),
    select: (data) => data.agent.host,
  });
  useHostRefresh(workspaceId, [key]);
  return (
    <div>
      <dt>Host</dt>
      <dd>
        {host.isPending ? (
          <span className="muted">…</span>
        ) : host.data ? (
          <>
            <Link href={`/w/${workspaceId}/hosts/${host.data.id}`}>{host.data.hostname}</Link>
            <span className="muted"> · {host.data.status === 'ONLINE' ? 'online' : 'offline'}</span>
          </>
        ) : (
          <span className="muted">None reported</span>
        )}
      </dd>
    </div>
  );
}
