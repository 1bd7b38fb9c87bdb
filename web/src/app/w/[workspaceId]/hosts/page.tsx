import type { Metadata } from 'next';
import { HostsView } from '../../../../features/hosts/hosts-view';

export const metadata: Metadata = { title: 'Hosts' };

export default async function HostsPage(props: PageProps<'/w/[workspaceId]/hosts'>) {
  const { workspaceId } = await props.params;
  return <HostsView workspaceId={workspaceId} />;
}
