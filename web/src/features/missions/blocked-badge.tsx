'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useParams } from 'next/navigation';
import { BlockedMissionsDocument } from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';

const blockedKey = (workspaceId: string) => ['blocked-missions', workspaceId] as const;

// What can change whether a mission is blocked: an edge, or a blocker moving to or from Done.
const CHANGES = new Set([
  'mission.v1.MissionMoved',
  'mission.v1.MissionDependencyAdded',
  'mission.v1.MissionDependencyRemoved',
  'mission.v1.MissionBecameReady',
]);

/**
 * How many unfinished missions each mission of the workspace waits for (PRODUCT M4): one query
 * for the whole board, shared by its cards, fetched again when a dependency or a column changes.
 */
function useBlockedCounts(workspaceId: string) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  useLiveEvents((event) => {
    if (CHANGES.has(event.type)) {
      // Every card listens: the first starts the fetch, the others leave it running.
      void queryClient.invalidateQueries(
        { queryKey: blockedKey(workspaceId) },
        { cancelRefetch: false },
      );
    }
  });
  return useQuery({
    queryKey: blockedKey(workspaceId),
    queryFn: ({ signal }) => gql(BlockedMissionsDocument, { workspaceId }, signal),
    select: (data) =>
      new Map(data.blockedMissions.map((mission) => [mission.id, mission.blockedBy.length])),
  });
}

/** "Blocked · 2" on a board card whose mission waits for missions not done yet; else nothing. */
export function BlockedBadge({ missionId }: { missionId: string }) {
  const { workspaceId } = useParams<{ workspaceId: string }>();
  const counts = useBlockedCounts(workspaceId);
  const count = counts.data?.get(missionId) ?? 0;
  if (count === 0) {
    return null;
  }
  return (
    <span className="badge">
      Blocked
      <span aria-hidden="true"> · {count}</span>
      <span className="visually-hidden">
        {' '}
        by {count} {count === 1 ? 'mission' : 'missions'} not done yet
      </span>
    </span>
  );
}
