import { redirect } from 'next/navigation';

export default async function WorkspaceHome(props: PageProps<'/w/[workspaceId]'>) {
  const { workspaceId } = await props.params;
  redirect(`/w/${workspaceId}/board`);
}
