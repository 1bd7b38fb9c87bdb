import type { Metadata } from 'next';
import { MissionView } from '../../../../../features/missions/mission-view';

export const metadata: Metadata = { title: 'Mission' };

export default async function MissionPage(
  props: PageProps<'/w/[workspaceId]/missions/[missionId]'>,
) {
  const { workspaceId, missionId } = await props.params;
  return <MissionView workspaceId={workspaceId} missionId={missionId} />;
}
