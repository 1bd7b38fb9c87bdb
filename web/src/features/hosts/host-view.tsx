'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useId, useMemo, useState } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  HostDetailDocument,
  HostUsageDocument,
  MeDocument,
  RemoveHostDocument,
} from '../../graphql/generated';
import { ApiError } from '../../lib/api/api-error';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ConfirmButton } from '../../ui/confirm-button';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { SegmentedChoice } from '../../ui/segmented-choice';
import { canManageAgents } from '../agents/wake-hook-model';
import {
  formatAgo,
  formatBytes,
  formatBytesTick,
  formatPercent,
  hasSamples,
  HOST_RANGE_KEYS,
  HOST_RANGE_LABELS,
  hostRange,
  usagePoints,
  type HostRange,
  type UsagePoint,
} from './hosts-model';
import { HostStatusBadge, KIND_NAMES, useNow } from './hosts-view';
import styles from './hosts.module.css';
import { useHostRefresh } from './use-host-refresh';

const isMissing = (error: unknown) =>
  // A malformed id in the address is as missing as an unknown one.
  error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_ERROR');

const percentTick = (value: unknown) => `${String(value)}%`;
const bytesTick = (value: unknown) => formatBytesTick(Number(value));
const percentValue = (value: unknown) => formatPercent(Number(value));
const bytesValue = (value: unknown) => formatBytes(Number(value));

/** While the same range refreshes, its previous figures stay; another range's never stand in. */
const sameRange =
  (key: string) =>
  <T,>(previous: T | undefined, query: { queryKey: readonly unknown[] } | undefined) =>
    query?.queryKey[3] === key ? previous : undefined;

export function HostView({ workspaceId, hostId }: { workspaceId: string; hostId: string }) {
  const gql = useGraphQL();
  const router = useRouter();
  const announce = useAnnounce();
  const id = useId();
  const now = useNow();
  const [range, setRange] = useState<HostRange>(() => hostRange('1h', new Date()));
  const detailKey = useMemo(() => ['host', workspaceId, hostId] as const, [workspaceId, hostId]);
  const usageKey = [
    'host-usage',
    workspaceId,
    hostId,
    range.key,
    range.from.toISOString(),
    range.to.toISOString(),
  ] as const;
  const host = useQuery({
    queryKey: detailKey,
    queryFn: ({ signal }) => gql(HostDetailDocument, { workspaceId, id: hostId }, signal),
    select: (data) => data.host,
  });
  const usage = useQuery({
    queryKey: usageKey,
    queryFn: ({ signal }) =>
      gql(
        HostUsageDocument,
        {
          workspaceId,
          hostId,
          from: range.from.toISOString(),
          to: range.to.toISOString(),
          interval: range.interval,
        },
        signal,
      ),
    placeholderData: sameRange(range.key),
    enabled: !host.isError,
  });
  // The host's figures and the range's end follow its samples as they come in.
  useHostRefresh(workspaceId, [detailKey], () =>
    setRange((current) => hostRange(current.key, new Date())),
  );
  const points = useMemo(
    () => (usage.data ? usagePoints(usage.data.hostUsage, range.interval) : []),
    [usage.data, range.interval],
  );
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => gql(MeDocument, {}, signal) });
  const manager = canManageAgents(
    me.data?.me.memberships.find((membership) => membership.workspace.id === workspaceId)?.role,
  );
  const remove = useMutation({
    mutationFn: () => gql(RemoveHostDocument, { workspaceId, id: hostId }),
    onSuccess: (data) => {
      announce(`${data.removeHost.hostname} removed`);
      router.push(`/w/${workspaceId}/hosts`);
    },
  });

  if (host.isPending) {
    return (
      <div className={styles.page}>
        <p aria-busy="true">Loading the host…</p>
      </div>
    );
  }
  if (host.isError) {
    return (
      <div className={styles.page}>
        <p className="muted">
          <Link href={`/w/${workspaceId}/hosts`}>← Hosts</Link>
        </p>
        {isMissing(host.error) ? (
          <section className="panel" aria-labelledby="host-missing">
            <h1 id="host-missing">Host not found</h1>
            <p>
              No host of this workspace has this address: the link may be wrong, or the host was
              removed.
            </p>
            <p>
              <Link href={`/w/${workspaceId}/hosts`}>See every host of the workspace</Link>
            </p>
          </section>
        ) : (
          <ErrorNotice error={host.error} />
        )}
      </div>
    );
  }

  const current = host.data;
  const sample = current.lastSample;
  return (
    <div className={styles.page}>
      <header>
        <p className="muted">
          <Link href={`/w/${workspaceId}/hosts`}>← Hosts</Link>
        </p>
        <div className={styles.titleRow}>
          <h1 className={styles.title}>
            {current.hostname} <HostStatusBadge host={current} />
          </h1>
          {manager && (
            <ConfirmButton
              label="Remove host"
              question={`Remove ${current.hostname}? Its runner brings it back if it still runs.`}
              confirmLabel="Remove"
              pending={remove.isPending}
              onConfirm={() => remove.mutate()}
            />
          )}
        </div>
        <p className="muted">
          {[
            KIND_NAMES[current.kind],
            current.containerStatus,
            [current.os, current.arch].filter(Boolean).join(' '),
            current.runnerVersion && `runner ${current.runnerVersion}`,
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      </header>
      {remove.isError && <ErrorNotice error={remove.error} />}
      <dl className={`panel ${styles.facts}`} aria-label="About the host">
        <div>
          <dt>CPUs</dt>
          <dd>{current.cpuCount}</dd>
        </div>
        <div>
          <dt>Memory</dt>
          <dd>{formatBytes(current.memoryBytes)}</dd>
        </div>
        <div>
          <dt>CPU now</dt>
          <dd>{sample ? formatPercent(sample.cpuPercent) : '—'}</dd>
        </div>
        <div>
          <dt>Memory used</dt>
          <dd>{sample ? formatBytes(sample.memoryUsedBytes) : '—'}</dd>
        </div>
        <div>
          <dt>Disk used</dt>
          <dd>
            {sample
              ? `${formatBytes(sample.diskUsedBytes)} of ${formatBytes(sample.diskTotalBytes)}`
              : '—'}
          </dd>
        </div>
        <div>
          <dt>Last sample</dt>
          <dd>
            {sample ? (
              <time dateTime={sample.at} title={new Date(sample.at).toLocaleString()}>
                {formatAgo(sample.at, now)}
              </time>
            ) : (
              'None yet'
            )}
          </dd>
        </div>
        <div className={styles.wide}>
          <dt>Agents on it</dt>
          <dd className={styles.agentList}>
            {current.agents.length === 0 ? (
              <span className="muted">None</span>
            ) : (
              current.agents.map((agent) => (
                <Link key={agent.id} href={`/w/${workspaceId}/agents/${agent.id}`} className="tag">
                  {agent.name}
                </Link>
              ))
            )}
          </dd>
        </div>
      </dl>

      <section aria-labelledby={`${id}-usage`} className="panel">
        <div className={styles.usageHead}>
          <h2 id={`${id}-usage`}>Usage over the last {HOST_RANGE_LABELS[range.key]}</h2>
          <SegmentedChoice
            legend="Range"
            options={HOST_RANGE_KEYS}
            value={range.key}
            onChange={(key) => setRange(hostRange(key, new Date()))}
          />
        </div>
        {usage.isPending && <p aria-busy="true">Loading usage…</p>}
        {usage.isError && (
          <ErrorNotice
            error={usage.error}
            action={
              <button type="button" className="button" onClick={() => void usage.refetch()}>
                Try again
              </button>
            }
          />
        )}
        {usage.data &&
          (hasSamples(points) ? (
            <div className={styles.charts}>
              <UsageChart
                title="CPU"
                points={points}
                lines={[
                  { key: 'cpu', name: 'Mean', color: '#3f6fd8' },
                  { key: 'cpuMax', name: 'Peak', color: '#a9bde9' },
                ]}
                domain={[0, 100]}
                tick={percentTick}
                value={percentValue}
              />
              <UsageChart
                title="Memory"
                points={points}
                lines={[
                  { key: 'memory', name: 'Used', color: '#23855a' },
                  { key: 'memoryTotal', name: 'Total', color: '#9fb0a6' },
                ]}
                tick={bytesTick}
                value={bytesValue}
              />
              <UsageChart
                title="Disk"
                points={points}
                lines={[
                  { key: 'disk', name: 'Used', color: '#b5642a' },
                  { key: 'diskTotal', name: 'Total', color: '#d9b89f' },
                ]}
                tick={bytesTick}
                value={bytesValue}
              />
            </div>
          ) : (
            <EmptyState>
              No samples in the last {HOST_RANGE_LABELS[range.key]}: the host’s runner sends one
              every 15 seconds while it runs.
            </EmptyState>
          ))}
      </section>
    </div>
  );
}

type LineSpec = { key: keyof UsagePoint; name: string; color: string };

function UsageChart({
  title,
  points,
  lines,
  domain,
  tick,
  value,
}: {
  title: string;
  points: UsagePoint[];
  lines: LineSpec[];
  domain?: [number, number];
  tick: (value: unknown) => string;
  value: (value: unknown) => string;
}) {
  const id = useId();
  const [first] = lines;
  return (
    <figure className={styles.chartFigure} aria-labelledby={id}>
      <figcaption id={id} className={styles.chartTitle}>
        {title}
      </figcaption>
      <div className={styles.chart} aria-hidden="true" data-chart={title.toLowerCase()}>
        <ResponsiveContainer width="100%" height="100%">
          <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#d8dce4" />
            <XAxis
              dataKey="label"
              tick={{ fontSize: 12 }}
              interval="preserveStartEnd"
              minTickGap={24}
            />
            <YAxis
              tick={{ fontSize: 12 }}
              tickFormatter={tick}
              width={48}
              {...(domain ? { domain } : {})}
            />
            <Tooltip formatter={value} />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {/* Drawn at once: a chart that regrows on every refresh only distracts. */}
            {lines.map((line) => (
              <Line
                key={line.key}
                type="monotone"
                dataKey={line.key}
                name={line.name}
                stroke={line.color}
                strokeWidth={line === first ? 2 : 1.5}
                // Marks, so a lone bucket between gaps still shows.
                dot={line === first ? { r: 2 } : false}
                connectNulls={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <table className="visually-hidden">
        <caption>{title} per bucket</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            {lines.map((line) => (
              <th key={line.key} scope="col">
                {line.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {points
            .filter((point) => point[first!.key] !== null)
            .map((point) => (
              <tr key={point.time}>
                <th scope="row">
                  <time dateTime={point.time}>{point.label}</time>
                </th>
                {lines.map((line) => (
                  <td key={line.key}>{value(point[line.key])}</td>
                ))}
              </tr>
            ))}
        </tbody>
      </table>
    </figure>
  );
}
