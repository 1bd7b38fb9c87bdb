'use client';

import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AgentCostsDocument, CostOverTimeDocument } from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { SegmentedChoice } from '../../ui/segmented-choice';
import { useAgents } from '../agents/use-agents';
import {
  changesCosts,
  COST_REFRESH_DELAY_MS,
  costBars,
  costRange,
  costTotals,
  estimatedShare,
  formatCount,
  formatRate,
  formatSeconds,
  formatTokens,
  formatUsd,
  formatUsdTick,
  RANGE_KEYS,
  RANGE_LABELS,
  type CostRange,
} from './costs-model';
import styles from './costs.module.css';

const tooltipValue = (value: unknown) => formatUsd(Number(value));
// Recharts colours legend text like its bar: the pale estimate would be hard to read.
const legendText = (value: unknown) => <span className={styles.legend}>{String(value)}</span>;

/** While the same range refreshes, its previous figures stay; another range's never stand in. */
const sameRange =
  (key: string) =>
  <T,>(previous: T | undefined, query: { queryKey: readonly unknown[] } | undefined) =>
    query?.queryKey[2] === key ? previous : undefined;

export function CostsView({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const id = useId();
  // Fixed until another range is picked, so the query keys stay stable.
  const [range, setRange] = useState<CostRange>(() => costRange('7d', new Date()));
  const variables = {
    workspaceId,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
  };
  // Runs reporting usage move the range's end to now, a moment later: the figures follow live,
  // and the previous ones stay on screen meanwhile.
  const refresh = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useLiveEvents((event) => {
    if (event.workspaceId === workspaceId && changesCosts(event.type) && !refresh.current) {
      refresh.current = setTimeout(() => {
        refresh.current = undefined;
        setRange((current) => costRange(current.key, new Date()));
      }, COST_REFRESH_DELAY_MS);
    }
  });
  useEffect(() => () => clearTimeout(refresh.current), []);
  const series = useQuery({
    queryKey: ['cost-over-time', workspaceId, range.key, variables.from, variables.to],
    queryFn: ({ signal }) =>
      gql(CostOverTimeDocument, { ...variables, interval: range.interval }, signal),
    placeholderData: sameRange(range.key),
  });
  const agents = useInfiniteQuery({
    queryKey: ['agent-costs', workspaceId, range.key, variables.from, variables.to],
    placeholderData: sameRange(range.key),
    queryFn: ({ pageParam, signal }) =>
      gql(AgentCostsDocument, { ...variables, after: pageParam }, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) =>
      last.agentRunStats.pageInfo.hasNextPage ? last.agentRunStats.pageInfo.endCursor : null,
  });
  const roster = useAgents(workspaceId);
  const names = useMemo(
    () => new Map((roster.data ?? []).map((agent) => [agent.id, agent.name])),
    [roster.data],
  );
  const bars = useMemo(
    () => (series.data ? costBars(series.data.costOverTime, range.interval) : []),
    [series.data, range.interval],
  );
  const totals = useMemo(
    () => (series.data ? costTotals(series.data.costOverTime) : null),
    [series.data],
  );
  const rows = agents.data?.pages.flatMap((page) => page.agentRunStats.nodes) ?? [];
  const agentCount = agents.data?.pages[0]?.agentRunStats.totalCount ?? 0;
  const period = `the last ${RANGE_LABELS[range.key]}`;

  return (
    <div className={styles.page}>
      <div className="page-header">
        <div>
          <h1>Costs</h1>
          <p className="muted">What agents’ runs cost over {period}, in US dollars.</p>
        </div>
        <SegmentedChoice
          legend="Range"
          options={RANGE_KEYS}
          value={range.key}
          onChange={(key) => setRange(costRange(key, new Date()))}
          labelOf={(key) => RANGE_LABELS[key]}
        />
      </div>

      <section aria-labelledby={`${id}-over-time`} className="panel">
        <h2 id={`${id}-over-time`}>Cost over time</h2>
        {series.isPending && <p aria-busy="true">Loading costs…</p>}
        {series.isError && (
          <ErrorNotice
            error={series.error}
            action={
              <button type="button" className="button" onClick={() => void series.refetch()}>
                Try again
              </button>
            }
          />
        )}
        {totals && (totals.costUsd > 0 || totals.inputTokens > 0) && (
          <dl className={styles.figures}>
            <div>
              <dt>Total</dt>
              <dd>{formatUsd(totals.costUsd)}</dd>
            </div>
            <div>
              <dt>Estimated</dt>
              <dd>
                {formatUsd(totals.estimatedCostUsd)}
                <span className="muted">
                  {' '}
                  · {estimatedShare(totals.costUsd, totals.estimatedCostUsd)}
                </span>
              </dd>
            </div>
            <div>
              <dt>Input tokens</dt>
              <dd>
                {formatTokens(totals.inputTokens)}
                <span className="muted"> · {formatTokens(totals.cachedInputTokens)} cached</span>
              </dd>
            </div>
            <div>
              <dt>Output tokens</dt>
              <dd>{formatTokens(totals.outputTokens)}</dd>
            </div>
          </dl>
        )}
        {totals &&
          (totals.costUsd === 0 ? (
            <EmptyState>No run reported any cost in {period}.</EmptyState>
          ) : (
            <>
              <div className={styles.chart} aria-hidden="true">
                <ResponsiveContainer width="100%" height="100%">
                  <BarChart data={bars} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#d8dce4" />
                    <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                    <YAxis tick={{ fontSize: 12 }} tickFormatter={formatUsdTick} width={56} />
                    <Tooltip cursor={{ fill: '#eef0f4' }} formatter={tooltipValue} />
                    <Legend wrapperStyle={{ fontSize: 12 }} formatter={legendText} />
                    {/* Drawn at once: a chart that regrows on every refresh only distracts. */}
                    <Bar
                      dataKey="billed"
                      name="Billed"
                      stackId="cost"
                      fill="#3f6fd8"
                      isAnimationActive={false}
                    />
                    <Bar
                      dataKey="estimated"
                      name="Estimated (flat-rate)"
                      stackId="cost"
                      fill="#a9bde9"
                      radius={[4, 4, 0, 0]}
                      isAnimationActive={false}
                    />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <table className="visually-hidden">
                <caption>Cost per {range.interval === 'HOUR' ? 'hour' : 'day'}</caption>
                <thead>
                  <tr>
                    <th scope="col">{range.interval === 'HOUR' ? 'Hour' : 'Day'}</th>
                    <th scope="col">Cost</th>
                    <th scope="col">Estimated</th>
                  </tr>
                </thead>
                <tbody>
                  {bars.map((bar) => (
                    <tr key={bar.time}>
                      <th scope="row">
                        <time dateTime={bar.time}>{bar.label}</time>
                      </th>
                      <td>{formatUsd(bar.total)}</td>
                      <td>{formatUsd(bar.estimated)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ))}
      </section>

      <section aria-labelledby={`${id}-agents`} className="panel">
        <h2 id={`${id}-agents`}>Cost per agent</h2>
        {agents.isPending && <p aria-busy="true">Loading agents’ runs…</p>}
        {agents.isError && (
          <ErrorNotice
            error={agents.error}
            action={
              <button type="button" className="button" onClick={() => void agents.refetch()}>
                Try again
              </button>
            }
          />
        )}
        {agents.data &&
          (rows.length === 0 ? (
            <EmptyState>No agent ran or claimed a mission in {period}.</EmptyState>
          ) : (
            <div className={styles.tableWrap}>
              <table className={styles.table}>
                <caption className="visually-hidden">
                  Runs and cost per agent over {period}, who cost most first
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Agent</th>
                    <th scope="col" className={styles.number}>
                      Runs
                    </th>
                    <th scope="col" className={styles.number}>
                      Success
                    </th>
                    <th scope="col" className={styles.number}>
                      Tokens in / out
                    </th>
                    <th scope="col" className={styles.number}>
                      Cost
                    </th>
                    <th scope="col" className={styles.number}>
                      Estimated
                    </th>
                    <th scope="col" className={styles.number}>
                      Mean duration
                    </th>
                    <th scope="col" className={styles.number}>
                      Response time
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.agentId}>
                      <th scope="row" className={styles.name}>
                        {names.get(row.agentId) ?? 'Unknown agent'}
                      </th>
                      <td data-label="Runs" className={styles.number}>
                        {formatCount(row.runs)}
                      </td>
                      <td data-label="Success" className={styles.number}>
                        {formatRate(row.successRate)}
                        {row.finishedRuns > 0 && (
                          <span className={styles.detail}>
                            {row.succeededRuns} of {row.finishedRuns} succeeded
                          </span>
                        )}
                      </td>
                      <td data-label="Tokens in / out" className={styles.number}>
                        {formatTokens(row.inputTokens)} / {formatTokens(row.outputTokens)}
                      </td>
                      <td data-label="Cost" className={styles.number}>
                        {formatUsd(row.costUsd)}
                        {row.unpricedReports > 0 && (
                          <span className={styles.detail}>+ {row.unpricedReports} unpriced</span>
                        )}
                      </td>
                      <td data-label="Estimated" className={styles.number}>
                        {estimatedShare(row.costUsd, row.estimatedCostUsd)}
                      </td>
                      <td data-label="Mean duration" className={styles.number}>
                        {formatSeconds(row.meanRunSeconds)}
                      </td>
                      <td data-label="Response time" className={styles.number}>
                        {formatSeconds(row.meanResponseSeconds)}
                        {row.meanClaimSeconds !== null && (
                          <span className={styles.detail}>
                            claimed in {formatSeconds(row.meanClaimSeconds)}
                          </span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ))}
        {agents.hasNextPage && (
          <p className={styles.more}>
            <span className="muted">
              {rows.length} of {agentCount} agents
            </span>
            <button
              type="button"
              className="button"
              disabled={agents.isFetchingNextPage}
              onClick={() => void agents.fetchNextPage()}
            >
              {agents.isFetchingNextPage ? 'Loading…' : 'Show more agents'}
            </button>
          </p>
        )}
        {rows.length > 0 && (
          <p className={`muted ${styles.note}`}>
            Cost is what each usage report was priced at; runs on flat-rate plans are estimated at
            list price. Response time runs from assignment to the first log line.
          </p>
        )}
      </section>
    </div>
  );
}
