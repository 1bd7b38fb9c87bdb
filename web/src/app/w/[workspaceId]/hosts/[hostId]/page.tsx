import type { Metadata } from 'next';
import { HostView } from '../../../../../features/hosts/host-view';

export const metadata: Metadata = { title: 'Host' };

export default async function HostPage(props: PageProps<'/w/[workspaceId]/hosts/[hostId]'>) {
  const { workspaceId, hostId } = await props.params;
  return <HostView workspaceId={workspaceId} hostId={hostId} />;
}
