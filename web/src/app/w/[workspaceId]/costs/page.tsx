import type { Metadata } from 'next';
import { CostsView } from '../../../../features/costs/costs-view';

export const metadata: Metadata = { title: 'Costs' };

export default async function CostsPage(props: PageProps<'/w/[workspaceId]/costs'>) {
  const { workspaceId } = await props.params;
  return <CostsView workspaceId={workspaceId} />;
}
