import type { Metadata } from 'next';
import { WorkspaceSettings } from '../../../../features/settings/workspace-settings';

export const metadata: Metadata = { title: 'Workspace settings' };

export default async function WorkspaceSettingsPage(props: PageProps<'/w/[workspaceId]/settings'>) {
  const { workspaceId } = await props.params;
  return <WorkspaceSettings workspaceId={workspaceId} />;
}
