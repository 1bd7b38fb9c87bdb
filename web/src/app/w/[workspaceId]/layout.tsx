import { WorkspaceShell } from '../../../features/shell/workspace-shell';

export default async function WorkspaceLayout(props: LayoutProps<'/w/[workspaceId]'>) {
  const { workspaceId } = await props.params;
  return <WorkspaceShell workspaceId={workspaceId}>{props.children}</WorkspaceShell>;
}
