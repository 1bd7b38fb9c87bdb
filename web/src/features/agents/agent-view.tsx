'use client';

import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  AgentClaimsDocument,
  type AgentClaimFragment,
  AgentDetailDocument,
  type AgentDetailQuery,
  type AgentProfileFragment,
  AgentRunsDocument,
  type AgentRunRowFragment,
} from '../../graphql/generated';
import { ApiError } from '../../lib/api/api-error';
import { useLiveEvents, useLiveStatus } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { COLUMN_NAMES } from '../board/board-model';
import {
  formatCost,
  formatDuration,
  formatTokens,
  STATUS_NAMES as RUN_STATUS_NAMES,
} from '../runs/run-model';
import runStyles from '../runs/runs.module.css';
import { expiryText, STATUS_NAMES } from './agent-model';
import { agentPageEffect, formatAgo, lastSeenAt, leaseLeft } from './agent-work-model';
import styles from './agent.module.css';
import rosterStyles from './agents.module.css';
import { WakeHookPanel } from './wake-hook-panel';
import { AgentHostFact } from '../hosts/agent-host';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The time now, again every `everyMs` while mounted: for what counts up or down on screen. */
function useNow(everyMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

const isMissing = (error: unknown) =>
  // A malformed id in the address is as missing as an unknown one.
  error instanceof ApiError && (error.code === 'NOT_FOUND' || error.code === 'VALIDATION_ERROR');

export function AgentView({ workspaceId, agentId }: { workspaceId: string; agentId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const live = useLiveStatus();
  const profileKey = useMemo(
    () => ['agent', workspaceId, agentId] as const,
    [workspaceId, agentId],
  );
  const claimsKey = useMemo(
    () => ['agent-claims', workspaceId, agentId] as const,
    [workspaceId, agentId],
  );
  const runsKey = useMemo(
    () => ['agent-runs', workspaceId, agentId] as const,
    [workspaceId, agentId],
  );
  const profile = useQuery({
    queryKey: profileKey,
    queryFn: ({ signal }) => gql(AgentDetailDocument, { workspaceId, id: agentId }, signal),
    select: (data) => data.agent,
  });
  const claims = useQuery({
    queryKey: claimsKey,
    queryFn: ({ signal }) => gql(AgentClaimsDocument, { workspaceId, agentId }, signal),
    select: (data) => data.claimedMissions,
    // Nothing to hold for an agent that is not there.
    enabled: !profile.isError,
  });
  const runs = useInfiniteQuery({
    queryKey: runsKey,
    queryFn: ({ pageParam, signal }) =>
      gql(AgentRunsDocument, { workspaceId, agentId, after: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) =>
      last.runs.pageInfo.hasNextPage ? last.runs.pageInfo.endCursor : null,
    enabled: !profile.isError,
  });
  const [seenAt, setSeenAt] = useState<string | null>(null);

  const runRows = useMemo(
    () => runs.data?.pages.flatMap((page) => page.runs.nodes) ?? [],
    [runs.data],
  );
  const holds = useMemo(
    () => ({
      missionIds: new Set((claims.data ?? []).map((mission) => mission.id)),
      runIds: new Set([
        ...runRows.map((run) => run.id),
        ...(claims.data ?? []).flatMap((mission) =>
          mission.activeRun ? [mission.activeRun.id] : [],
        ),
      ]),
    }),
    [claims.data, runRows],
  );

  useLiveEvents((event) => {
    const agent = profile.data;
    if (!agent) {
      return;
    }
    const effect = agentPageEffect(agent, holds, event);
    if (effect.seenAt) {
      setSeenAt(effect.seenAt);
    }
    if (effect.profile === 'refetch') {
      void queryClient.invalidateQueries({ queryKey: profileKey });
    } else if (effect.profile) {
      queryClient.setQueryData<AgentDetailQuery>(profileKey, { agent: effect.profile });
      if (effect.profile.status !== agent.status) {
        announce(`${agent.name} is ${STATUS_NAMES[effect.profile.status].toLowerCase()}`);
      }
    }
    if (effect.claims) {
      void queryClient.invalidateQueries({ queryKey: claimsKey });
    }
    if (effect.runs) {
      void queryClient.invalidateQueries({ queryKey: runsKey });
    }
    if (event.type === 'mission.v1.RunStarted' && event.data?.agentId === agent.id) {
      announce(`${agent.name} started a run`);
    } else if (event.type === 'mission.v1.RunFinished' && effect.claims) {
      announce(`${agent.name}’s run ended`);
    }
  });

  if (profile.isPending) {
    return (
      <div className={styles.page}>
        <p aria-busy="true">Loading the agent…</p>
      </div>
    );
  }
  if (profile.isError) {
    return (
      <div className={styles.page}>
        <p className="muted">
          <Link href={`/w/${workspaceId}/agents`}>← Agents</Link>
        </p>
        {isMissing(profile.error) ? (
          <section className="panel" aria-labelledby="agent-missing">
            <h1 id="agent-missing">Agent not found</h1>
            <p>
              No agent of this workspace has this address: the link may be wrong, or the agent is in
              another workspace.
            </p>
            <p>
              <Link href={`/w/${workspaceId}/agents`}>See every agent of the workspace</Link>
            </p>
          </section>
        ) : (
          <ErrorNotice error={profile.error} />
        )}
      </div>
    );
  }

  const agent = profile.data;
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <p className="muted">
          <Link href={`/w/${workspaceId}/agents`}>← Agents</Link>
        </p>
        <h1>
          {agent.name}{' '}
          <span className={`badge ${rosterStyles.status} ${rosterStyles[`status${agent.status}`]}`}>
            <span aria-hidden="true" className={rosterStyles.dot} />
            {STATUS_NAMES[agent.status]}
          </span>
        </h1>
        <p className="muted">
          {[
            agent.role,
            agent.model && (agent.provider ? `${agent.model} (${agent.provider})` : agent.model),
            live.status === 'live'
              ? 'Live'
              : live.status === 'stopped'
                ? 'Not live'
                : 'Connecting…',
          ]
            .filter(Boolean)
            .join(' · ')}
        </p>
      </header>
      <AgentFacts workspaceId={workspaceId} agent={agent} seenAt={seenAt} />
      <WorkingOn
        workspaceId={workspaceId}
        claims={claims}
        onLapsed={() => void queryClient.invalidateQueries({ queryKey: claimsKey })}
      />
      <RecentRuns workspaceId={workspaceId} rows={runRows} runs={runs} />
      <WakeHookPanel workspaceId={workspaceId} agentId={agent.id} agentName={agent.name} />
    </div>
  );
}

function AgentFacts({
  workspaceId,
  agent,
  seenAt,
}: {
  workspaceId: string;
  agent: AgentProfileFragment;
  seenAt: string | null;
}) {
  const now = useNow();
  const seen = lastSeenAt(agent.lastHeartbeatAt, seenAt);
  return (
    <dl className={`panel ${styles.facts}`} aria-label="About the agent">
      <div>
        <dt>Last seen</dt>
        <dd>
          {seen ? (
            <time dateTime={seen} title={dateTime.format(new Date(seen))}>
              {formatAgo(seen, now)}
            </time>
          ) : (
            'Never'
          )}
        </dd>
      </div>
      <div>
        <dt>Activity</dt>
        <dd>{agent.activity ?? <span className="muted">None reported</span>}</dd>
      </div>
      <AgentHostFact workspaceId={workspaceId} agentId={agent.id} />
      {agent.parent && (
        <div>
          <dt>Sub-agent of</dt>
          <dd>
            <Link href={`/w/${workspaceId}/agents/${agent.parent.id}`}>{agent.parent.name}</Link>
            {agent.expiresAt && (
              <>
                {' · '}
                <time dateTime={agent.expiresAt} title={dateTime.format(new Date(agent.expiresAt))}>
                  {expiryText(agent, now)}
                </time>
              </>
            )}
          </dd>
        </div>
      )}
      {agent.children.length > 0 && (
        <div className={styles.wide}>
          <dt>Sub-agents</dt>
          <dd>
            <ul className={styles.subAgents}>
              {agent.children.map((child) => (
                <li key={child.id}>
                  <Link href={`/w/${workspaceId}/agents/${child.id}`}>{child.name}</Link>{' '}
                  <span className="muted">
                    {STATUS_NAMES[child.status]} · {expiryText(child, now)}
                  </span>
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
      <div className={styles.wide}>
        <dt>Capabilities</dt>
        <dd className={styles.tags}>
          {agent.capabilities.length === 0 ? (
            <span className="muted">None listed</span>
          ) : (
            agent.capabilities.map((capability) => (
              <span key={capability} className="tag">
                {capability}
              </span>
            ))
          )}
        </dd>
      </div>
    </dl>
  );
}

/** The missions the agent holds, each with its lease and the run going on under it. */
function WorkingOn({
  workspaceId,
  claims,
  onLapsed,
}: {
  workspaceId: string;
  claims: { data?: AgentClaimFragment[]; isPending: boolean; isError: boolean; error: unknown };
  onLapsed: () => void;
}) {
  const id = useId();
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Working on</h2>
      {claims.isError && <ErrorNotice error={claims.error} />}
      {claims.isPending && !claims.isError && (
        <p aria-busy="true" className="muted">
          Loading…
        </p>
      )}
      {claims.data?.length === 0 && (
        <EmptyState>Nothing right now — it holds no mission and runs nothing.</EmptyState>
      )}
      {claims.data && claims.data.length > 0 && (
        <ul className={styles.claims}>
          {claims.data.map((mission) => (
            <ClaimCard
              key={mission.id}
              workspaceId={workspaceId}
              mission={mission}
              onLapsed={onLapsed}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function ClaimCard({
  workspaceId,
  mission,
  onLapsed,
}: {
  workspaceId: string;
  mission: AgentClaimFragment;
  onLapsed: () => void;
}) {
  const now = useNow();
  const run = mission.activeRun;
  const lease = mission.leaseExpiresAt ? leaseLeft(mission.leaseExpiresAt, now) : null;
  // Renewals make no event: when the lease seems to run out, ask whether it was renewed.
  const lapsed = lease?.lapsed ?? false;
  const latest = useRef(onLapsed);
  useEffect(() => {
    latest.current = onLapsed;
  });
  useEffect(() => {
    if (lapsed) {
      latest.current();
    }
  }, [lapsed, mission.leaseExpiresAt]);
  return (
    <li className={styles.claim}>
      <div className={styles.claimTop}>
        <Link href={`/w/${workspaceId}/missions/${mission.id}`} className={styles.claimTitle}>
          {mission.title}
        </Link>
        <span className="tag">{COLUMN_NAMES[mission.column]}</span>
      </div>
      {run ? (
        <p className={styles.running}>
          <span className={`badge ${runStyles.status} ${runStyles.running}`}>
            <span aria-hidden="true" className={styles.pulse} />
            Running
          </span>
          <span>
            for <strong>{formatDuration(run.startedAt, null, now)}</strong> · {run.model} ·{' '}
            {run.adapter}
          </span>
          <Link href={`/w/${workspaceId}/runs/${run.id}`}>
            Open the run<span className="visually-hidden"> of {mission.title}</span>
          </Link>
        </p>
      ) : (
        <p className="muted">Claimed; no run going on.</p>
      )}
      {lease && mission.leaseExpiresAt && (
        <p className={`${styles.lease} ${lease.lapsed ? styles.lapsed : ''}`}>
          {lease.lapsed ? (
            'Lease ran out — the mission goes back to the queue in a moment.'
          ) : (
            <>
              Lease: <strong>{lease.text}</strong> left{' '}
              <span className="muted">
                (until{' '}
                <time dateTime={mission.leaseExpiresAt}>
                  {dateTime.format(new Date(mission.leaseExpiresAt))}
                </time>
                ; renewed as the agent works)
              </span>
            </>
          )}
        </p>
      )}
    </li>
  );
}

function RecentRuns({
  workspaceId,
  rows,
  runs,
}: {
  workspaceId: string;
  rows: AgentRunRowFragment[];
  runs: {
    isPending: boolean;
    isError: boolean;
    error: unknown;
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => Promise<unknown>;
  };
}) {
  const id = useId();
  const now = useNow();
  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Recent runs</h2>
      {runs.isError && <ErrorNotice error={runs.error} />}
      {runs.isPending && !runs.isError && (
        <p aria-busy="true" className="muted">
          Loading runs…
        </p>
      )}
      {!runs.isPending && rows.length === 0 && !runs.isError && (
        <EmptyState>
          No runs yet — they appear when the agent starts working on a mission.
        </EmptyState>
      )}
      {rows.length > 0 && (
        <div className={styles.tableWrap}>
          <table className={styles.runs}>
            <thead>
              <tr>
                <th scope="col">Outcome</th>
                <th scope="col">Mission</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((run) => (
                <tr key={run.id}>
                  <td data-label="Outcome">
                    <Link
                      href={`/w/${workspaceId}/runs/${run.id}`}
                      className={`badge ${runStyles.status} ${runStyles[run.status.toLowerCase()]}`}
                    >
                      {RUN_STATUS_NAMES[run.status]}
                      <span className="visually-hidden">
                        : the run of {run.mission.title}, started{' '}
                        {dateTime.format(new Date(run.startedAt))}
                      </span>
                    </Link>
                  </td>
                  <td data-label="Mission" className={styles.missionCell}>
                    <Link href={`/w/${workspaceId}/missions/${run.mission.id}`}>
                      {run.mission.title}
                    </Link>
                  </td>
                  <td data-label="Started">
                    <time dateTime={run.startedAt}>{dateTime.format(new Date(run.startedAt))}</time>
                  </td>
                  <td data-label="Duration">
                    {formatDuration(run.startedAt, run.finishedAt, now)}
                  </td>
                  <td data-label="Tokens in / out" className={styles.figure}>
                    {formatTokens(run.inputTokens)} / {formatTokens(run.outputTokens)}
                  </td>
                  <td data-label="Cost" className={styles.figure}>
                    {formatCost(run)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
