import type { Metadata } from 'next';
import { MembersSettings } from '../../../../../features/settings/members-settings';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage(props: PageProps<'/w/[workspaceId]/settings/members'>) {
  const { workspaceId } = await props.params;
  return <MembersSettings workspaceId={workspaceId} />;
}
