'use client';

import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useId } from 'react';
import { MissionRunsDocument } from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import type { Directory } from '../missions/mission-model';
import { nameOf } from '../missions/mission-model';
import { formatCost, formatDuration, STATUS_NAMES } from './run-model';
import styles from './runs.module.css';

/** A mission's runs, newest first, ten at a time; a run starting or ending shows at once. */
export function MissionRuns({
  workspaceId,
  missionId,
  directory,
}: {
  workspaceId: string;
  missionId: string;
  directory: Directory;
}) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const id = useId();
  const key = ['mission-runs', workspaceId, missionId] as const;
  const runs = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) =>
      gql(MissionRunsDocument, { workspaceId, id: missionId, after: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) =>
      last.mission.runs.pageInfo.hasNextPage ? last.mission.runs.pageInfo.endCursor : null,
  });
  useLiveEvents((event) => {
    // Start, usage and end reach the workspace's feed (log lines do not): a page of ten is cheap.
    if (event.type.startsWith('mission.v1.Run')) {
      void queryClient.invalidateQueries({ queryKey: key });
    }
  });

  const nodes = runs.data?.pages.flatMap((page) => page.mission.runs.nodes) ?? [];
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Runs</h2>
      {runs.isError && <ErrorNotice error={runs.error} />}
      {runs.isPending ? (
        <p aria-busy="true" className="muted">
          Loading runs…
        </p>
      ) : nodes.length === 0 ? (
        <EmptyState>No runs yet — they appear when an agent starts working on it.</EmptyState>
      ) : (
        <ol className={styles.runList}>
          {nodes.map((run) => (
            <li key={run.id}>
              <Link href={`/w/${workspaceId}/runs/${run.id}`} className={styles.runLink}>
                <span className={`badge ${styles.status} ${styles[run.status.toLowerCase()]}`}>
                  {STATUS_NAMES[run.status]}
                </span>
                <span>{nameOf(directory, 'agent', run.agentId)}</span>
                <span>{formatCost(run)}</span>
                <span className={`muted ${styles.runMeta}`}>
                  {run.model} · {formatDuration(run.startedAt, run.finishedAt, Date.now())}
                </span>
              </Link>
            </li>
          ))}
        </ol>
      )}
      {runs.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={runs.isFetchingNextPage}
          onClick={() => void runs.fetchNextPage()}
        >
          {runs.isFetchingNextPage ? 'Loading…' : 'Older runs'}
        </button>
      )}
    </section>
  );
}
