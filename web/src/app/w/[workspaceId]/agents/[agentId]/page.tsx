import type { Metadata } from 'next';
import { AgentView } from '../../../../../features/agents/agent-view';

export const metadata: Metadata = { title: 'Agent' };

export default async function AgentPage(props: PageProps<'/w/[workspaceId]/agents/[agentId]'>) {
  const { workspaceId, agentId } = await props.params;
  return <AgentView workspaceId={workspaceId} agentId={agentId} />;
}
