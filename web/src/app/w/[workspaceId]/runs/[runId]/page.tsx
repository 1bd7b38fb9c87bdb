import type { Metadata } from 'next';
import { RunView } from '../../../../../features/runs/run-view';

export const metadata: Metadata = { title: 'Run' };

export default async function RunPage(props: PageProps<'/w/[workspaceId]/runs/[runId]'>) {
  const { workspaceId, runId } = await props.params;
  return <RunView workspaceId={workspaceId} runId={runId} />;
}
