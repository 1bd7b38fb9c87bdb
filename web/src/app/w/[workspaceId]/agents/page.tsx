import type { Metadata } from 'next';
import { AgentsView } from '../../../../features/agents/agents-view';

export const metadata: Metadata = { title: 'Agents' };

export default async function AgentsPage(props: PageProps<'/w/[workspaceId]/agents'>) {
  const { workspaceId } = await props.params;
  return <AgentsView workspaceId={workspaceId} />;
}
