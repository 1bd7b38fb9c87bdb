import { SettingsLayout } from '../../../../features/settings/settings-layout';

export default async function Layout(props: LayoutProps<'/w/[workspaceId]/settings'>) {
  const { workspaceId } = await props.params;
  return <SettingsLayout workspaceId={workspaceId}>{props.children}</SettingsLayout>;
}
