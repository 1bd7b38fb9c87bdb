import type { Metadata } from 'next';
import { BoardView } from '../../../../features/board/board-view';

export const metadata: Metadata = { title: 'Board' };

export default async function BoardPage(props: PageProps<'/w/[workspaceId]/board'>) {
  const { workspaceId } = await props.params;
  return <BoardView workspaceId={workspaceId} />;
}
