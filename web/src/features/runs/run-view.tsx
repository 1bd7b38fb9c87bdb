'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  CancelRunDocument,
  RunDetailDocument,
  RunLogDocument,
  type RunSummaryFragment,
} from '../../graphql/generated';
import { useWatchedStream } from '../../lib/live/use-watched-stream';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ErrorNotice } from '../../ui/error-notice';
import { useAgents } from '../agents/use-agents';
import { LogViewer } from './log-viewer';
import {
  formatCost,
  formatDuration,
  formatTokens,
  linesOfEvent,
  mergeLines,
  STATUS_NAMES,
  type LogLine,
} from './run-model';
import styles from './runs.module.css';

const PAGE = 1_000;
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The log of a run: every line from the start, then each new one as it is appended. */
function useRunLog(workspaceId: string, runId: string) {
  const gql = useGraphQL();
  const [lines, setLines] = useState<LogLine[]>([]);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const held = useRef<LogLine[]>([]);
  const fetching = useRef(false);
  const again = useRef(false);

  // Pages from the last line held until the end; one fetch at a time, repeated if asked meanwhile.
  const catchUp = useCallback(async () => {
    if (fetching.current) {
      again.current = true;
      return;
    }
    fetching.current = true;
    setLoading(true);
    try {
      do {
        again.current = false;
        let hasMore = true;
        while (hasMore) {
          const after = held.current.at(-1)?.position ?? 0;
          const { run } = await gql(RunLogDocument, { workspaceId, id: runId, after, first: PAGE });
          held.current = mergeLines(held.current, run.log.lines).lines;
          setLines(held.current);
          hasMore = run.log.hasMore && run.log.lines.length > 0;
        }
      } while (again.current);
      setError(null);
    } catch (failure) {
      setError(failure);
    } finally {
      fetching.current = false;
      setLoading(false);
    }
  }, [gql, workspaceId, runId]);

  useEffect(() => {
    held.current = [];
    setLines([]);
    void catchUp();
  }, [catchUp]);

  const append = useCallback(
    (incoming: LogLine[]) => {
      const merged = mergeLines(held.current, incoming);
      held.current = merged.lines;
      setLines(merged.lines);
      if (merged.gap !== null) {
        void catchUp();
      }
    },
    [catchUp],
  );
  return { lines, loading, error, append, catchUp };
}

export function RunView({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const key = useMemo(() => ['run', workspaceId, runId] as const, [workspaceId, runId]);
  const run = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => gql(RunDetailDocument, { workspaceId, id: runId }, signal),
    select: (data) => data.run,
  });
  const log = useRunLog(workspaceId, runId);
  const agents = useAgents(workspaceId);
  const live = useWatchedStream(
    workspaceId,
    `run-${runId}`,
    (event) => {
      if (event.type === 'mission.v1.RunLogAppended') {
        log.append(linesOfEvent(event));
        return;
      }
      if (event.type === 'mission.v1.RunFinished') {
        announce('The run has ended');
      }
      void queryClient.invalidateQueries({ queryKey: key });
    },
    () => {
      void log.catchUp();
      void queryClient.invalidateQueries({ queryKey: key });
    },
  );
  // The duration of a running run ticks.
  const [now, setNow] = useState(() => Date.now());
  const running = run.data?.status === 'RUNNING';
  useEffect(() => {
    if (!running) {
      return;
    }
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [running]);

  if (run.isPending) {
    return <p aria-busy="true">Loading the run…</p>;
  }
  if (run.isError) {
    return (
      <div className={styles.page}>
        <ErrorNotice
          error={run.error}
          action={
            <p>
              <Link href={`/w/${workspaceId}/board`}>Back to the board</Link>
            </p>
          }
        />
      </div>
    );
  }
  const data = run.data;
  const agentName = agents.data?.find((agent) => agent.id === data.agentId)?.name ?? 'an agent';
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <p className="muted">
          <Link href={`/w/${workspaceId}/missions/${data.missionId}`}>← The mission</Link>
        </p>
        <h1>
          Run by {agentName}{' '}
          <span className={`badge ${styles.status} ${styles[data.status.toLowerCase()]}`}>
            {STATUS_NAMES[data.status]}
          </span>
        </h1>
        <p className="muted">
          <Link href={`/w/${workspaceId}/agents/${data.agentId}`}>About {agentName}</Link> ·{' '}
          {live === 'live' ? 'Live' : live === 'stopped' ? 'Not live' : 'Connecting…'} · started{' '}
          <time dateTime={data.startedAt}>{dateTime.format(new Date(data.startedAt))}</time>
        </p>
      </header>
      <RunFacts run={data} now={now} />
      {running && data.progressNote && (
        <section className={`panel ${styles.progress}`} aria-label="Progress">
          <p>{data.progressNote}</p>
          {data.progressPercent !== null && (
            <progress
              max={100}
              value={data.progressPercent}
              aria-label={`${data.progressPercent} % done, by its agent`}
            />
          )}
        </section>
      )}
      {data.summary && (
        <section className="panel" aria-label="Summary">
          <p className={styles.summary}>{data.summary}</p>
        </section>
      )}
      {running && <CancelRun workspaceId={workspaceId} runId={runId} />}
      {log.error !== null && <ErrorNotice error={log.error} />}
      <LogViewer lines={log.lines} running={running} loading={log.loading} />
    </div>
  );
}

function RunFacts({ run, now }: { run: RunSummaryFragment; now: number }) {
  const facts: [string, string][] = [
    ['Cost', formatCost(run)],
    ['Tokens in', formatTokens(run.inputTokens)],
    ['Cached', formatTokens(run.cachedInputTokens)],
    ['Tokens out', formatTokens(run.outputTokens)],
    ['Duration', formatDuration(run.startedAt, run.finishedAt, now)],
    ['Model', `${run.model} (${run.provider})`],
    ['Adapter', run.adapter],
    ['Billing', run.billing === 'SUBSCRIPTION' ? 'Subscription (cost estimated)' : 'Metered'],
  ];
  return (
    <dl className={`panel ${styles.facts}`} aria-label="Run figures">
      {facts.map(([name, value]) => (
        <div key={name}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function CancelRun({ workspaceId, runId }: { workspaceId: string; runId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const cancel = useMutation({
    mutationFn: () =>
      gql(CancelRunDocument, { workspaceId, runId, summary: 'Cancelled from the web app.' }),
    onSuccess: ({ finishRun }) => {
      queryClient.setQueryData(['run', workspaceId, runId], { run: finishRun });
      announce('Run cancelled');
    },
  });
  return (
    <div className={styles.cancel}>
      <button
        type="button"
        className="button button-danger"
        disabled={cancel.isPending}
        onClick={() => {
          if (
            window.confirm(
              'Cancel this run? Its log closes and its agent’s next writes are refused.',
            )
          ) {
            cancel.mutate();
          }
        }}
      >
        {cancel.isPending ? 'Cancelling…' : 'Cancel run'}
      </button>
      {cancel.isError && <ErrorNotice error={cancel.error} />}
    </div>
  );
}
