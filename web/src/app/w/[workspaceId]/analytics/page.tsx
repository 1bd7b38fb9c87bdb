import type { Metadata } from 'next';
import { AnalyticsView } from '../../../../features/analytics/analytics-view';

export const metadata: Metadata = { title: 'Analytics' };

export default async function AnalyticsPage(props: PageProps<'/w/[workspaceId]/analytics'>) {
  const { workspaceId } = await props.params;
  return <AnalyticsView workspaceId={workspaceId} />;
}
