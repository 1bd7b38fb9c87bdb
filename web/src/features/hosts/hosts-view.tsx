'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { HostsDocument, type HostRowFragment } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatAgo, formatBytes, formatPercent, shareOf } from './hosts-model';
import styles from './hosts.module.css';
import { useHostRefresh } from './use-host-refresh';

export const hostsKey = (workspaceId: string) => ['hosts', workspaceId] as const;

/** The time now, again every `everyMs`: for the "last sample" ages on screen. */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function HostStatusBadge({ host }: { host: Pick<HostRowFragment, 'status'> }) {
  const online = host.status === 'ONLINE';
  return (
    <span className={`badge ${styles.status} ${online ? styles.online : styles.offline}`}>
      <span aria-hidden="true" className={styles.dot} />
      {online ? 'Online' : 'Offline'}
    </span>
  );
}

export const KIND_NAMES = { SERVER: 'Server', CONTAINER: 'Container' } as const;

export function HostsView({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const now = useNow();
  const key = hostsKey(workspaceId);
  const hosts = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam, signal }) =>
      gql(HostsDocument, { workspaceId, after: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) =>
      last.hosts.pageInfo.hasNextPage ? last.hosts.pageInfo.endCursor : null,
  });
  useHostRefresh(workspaceId, [key]);
  const rows = hosts.data?.pages.flatMap((page) => page.hosts.nodes) ?? [];
  const total = hosts.data?.pages[0]?.hosts.totalCount ?? 0;
  const online = rows.filter((host) => host.status === 'ONLINE').length;

  return (
    <div className={styles.page}>
      <div className="page-header">
        <div>
          <h1>Hosts</h1>
          <p className="muted">
            Servers and containers that run agents, as their runners report them
            {hosts.data && total > 0 ? ` · ${online} of ${total} online` : ''}.
          </p>
        </div>
      </div>
      <section aria-labelledby="hosts-heading" className="panel">
        <h2 id="hosts-heading" className="visually-hidden">
          Runtime hosts
        </h2>
        {hosts.isPending && <p aria-busy="true">Loading hosts…</p>}
        {hosts.isError && (
          <ErrorNotice
            error={hosts.error}
            action={
              <button type="button" className="button" onClick={() => void hosts.refetch()}>
                Try again
              </button>
            }
          />
        )}
        {hosts.data && rows.length === 0 && <NoHosts workspaceId={workspaceId} />}
        {rows.length > 0 && (
          <ul className={styles.list}>
            {rows.map((host) => (
              <HostCard key={host.id} workspaceId={workspaceId} host={host} now={now} />
            ))}
          </ul>
        )}
        {hosts.hasNextPage && (
          <button
            type="button"
            className="button"
            disabled={hosts.isFetchingNextPage}
            onClick={() => void hosts.fetchNextPage()}
          >
            {hosts.isFetchingNextPage ? 'Loading…' : 'Show more hosts'}
          </button>
        )}
      </section>
    </div>
  );
}

function NoHosts({ workspaceId }: { workspaceId: string }) {
  return (
    <EmptyState>
      No hosts yet. A host appears here when a runner starts on it: on the server or in the
      container that should run your agents, run <code>npx mc runner</code> with the keys of the
      agents it runs (issue a key on the <Link href={`/w/${workspaceId}/agents`}>Agents</Link>{' '}
      page). Its CPU, memory and disk follow every 15 seconds.
    </EmptyState>
  );
}

function Meter({
  label,
  percent,
  detail,
}: {
  label: string;
  percent: number | null;
  detail: string;
}) {
  return (
    <div className={styles.meter}>
      <dt>{label}</dt>
      <dd>
        <span className={styles.meterValue}>{percent === null ? '—' : formatPercent(percent)}</span>
        <span className={styles.meterBar} aria-hidden="true">
          <span style={{ width: `${Math.max(0, Math.min(100, percent ?? 0))}%` }} />
        </span>
        <span className="muted">{detail}</span>
      </dd>
    </div>
  );
}

function HostCard({
  workspaceId,
  host,
  now,
}: {
  workspaceId: string;
  host: HostRowFragment;
  now: number;
}) {
  const sample = host.lastSample;
  const description = [
    KIND_NAMES[host.kind],
    host.containerStatus,
    [host.os, host.arch].filter(Boolean).join(' '),
    `${host.cpuCount} CPU${host.cpuCount === 1 ? '' : 's'}`,
    `${formatBytes(host.memoryBytes)} memory`,
  ].filter(Boolean);
  return (
    <li className={styles.card} aria-labelledby={`host-${host.id}`}>
      <div className={styles.cardHead}>
        <h3 id={`host-${host.id}`} className={styles.hostname}>
          <Link href={`/w/${workspaceId}/hosts/${host.id}`}>{host.hostname}</Link>
        </h3>
        <HostStatusBadge host={host} />
      </div>
      <p className={`muted ${styles.description}`}>{description.join(' · ')}</p>
      <dl className={styles.meters}>
        <Meter
          label="CPU"
          percent={sample?.cpuPercent ?? null}
          detail={`of ${host.cpuCount} CPU${host.cpuCount === 1 ? '' : 's'}`}
        />
        <Meter
          label="Memory"
          percent={sample ? shareOf(sample.memoryUsedBytes, host.memoryBytes) : null}
          detail={
            sample
              ? `${formatBytes(sample.memoryUsedBytes)} of ${formatBytes(host.memoryBytes)}`
              : formatBytes(host.memoryBytes)
          }
        />
        <div className={styles.meter}>
          <dt>Last sample</dt>
          <dd>
            {sample ? (
              <time dateTime={sample.at} title={new Date(sample.at).toLocaleString()}>
                {formatAgo(sample.at, now)}
              </time>
            ) : (
              <span className="muted">None yet</span>
            )}
          </dd>
        </div>
      </dl>
      <div className={styles.agents}>
        <span className={styles.agentsLabel}>Agents</span>
        {host.agents.length === 0 ? (
          <span className="muted">None</span>
        ) : (
          <ul className={styles.agentList}>
            {host.agents.map((agent) => (
              <li key={agent.id}>
                <Link href={`/w/${workspaceId}/agents/${agent.id}`} className="tag">
                  {agent.name}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </div>
    </li>
  );
}
