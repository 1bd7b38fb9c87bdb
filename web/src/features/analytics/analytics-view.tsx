'use client';

import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { AnalyticsDocument } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { useAgents } from '../agents/use-agents';
import { dailySeries, lastDays, utilisationBars } from './analytics-model';
import styles from './analytics.module.css';

const DAYS = 14;

const percentLabel = (value: unknown) => `${String(value)}%`;

export function AnalyticsView({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const id = useId();
  // Fixed for the life of the page so the query key stays stable.
  const [range] = useState(() => lastDays(new Date(), DAYS));
  const analytics = useQuery({
    queryKey: ['analytics', workspaceId, range.from.toISOString()],
    queryFn: ({ signal }) =>
      gql(
        AnalyticsDocument,
        { workspaceId, from: range.from.toISOString(), to: range.to.toISOString() },
        signal,
      ),
  });
  const agents = useAgents(workspaceId);
  const names = useMemo(
    () => new Map((agents.data ?? []).map((agent) => [agent.id, agent.name])),
    [agents.data],
  );
  const days = useMemo(
    () => (analytics.data ? dailySeries(analytics.data.missionThroughput, range.from, DAYS) : []),
    [analytics.data, range.from],
  );
  const bars = useMemo(
    () => (analytics.data ? utilisationBars(analytics.data.agentUtilisation, names) : []),
    [analytics.data, names],
  );
  const doneTotal = days.reduce((sum, day) => sum + day.done, 0);

  return (
    <div className={styles.page}>
      <div className="page-header">
        <h1>Analytics</h1>
        <p className="muted">Last {DAYS} days</p>
      </div>
      {analytics.isPending && <p aria-busy="true">Loading analytics…</p>}
      {analytics.isError && <ErrorNotice error={analytics.error} />}
      {analytics.data && (
        <div className={styles.charts}>
          <section aria-labelledby={`${id}-done`} className="panel">
            <h2 id={`${id}-done`}>Missions done per day</h2>
            {doneTotal === 0 ? (
              <EmptyState>No missions done in the last {DAYS} days.</EmptyState>
            ) : (
              <>
                <div className={styles.chart} aria-hidden="true">
                  <ResponsiveContainer width="100%" height="100%">
                    <BarChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#d8dce4" />
                      <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
                      <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
                      <Tooltip cursor={{ fill: '#eef0f4' }} />
                      {/* Drawn at once: a chart that regrows on every refresh only distracts. */}
                      <Bar
                        dataKey="done"
                        name="Done"
                        fill="#3f6fd8"
                        radius={[4, 4, 0, 0]}
                        isAnimationActive={false}
                      />
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <table className="visually-hidden">
                  <caption>Missions done per day</caption>
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      <th scope="col">Done</th>
                    </tr>
                  </thead>
                  <tbody>
                    {days.map((day) => (
                      <tr key={day.day}>
                        <th scope="row">
                          <time dateTime={day.day}>{day.day}</time>
                        </th>
                        <td>{day.done}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
          <section aria-labelledby={`${id}-util`} className="panel">
            <h2 id={`${id}-util`}>Utilisation per agent</h2>
            {bars.length === 0 ? (
              <EmptyState>No agent activity in the last {DAYS} days.</EmptyState>
            ) : (
              <>
                <div className={styles.chart} aria-hidden="true">
                  <ResponsiveContainer width="100%" height="100%">
                    <BarChart data={bars} margin={{ top: 22, right: 8, bottom: 0, left: -16 }}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#d8dce4" />
                      <XAxis dataKey="name" tick={{ fontSize: 12 }} />
                      <YAxis domain={[0, 100]} unit="%" tick={{ fontSize: 12 }} />
                      <Tooltip cursor={{ fill: '#eef0f4' }} />
                      <Bar
                        dataKey="percent"
                        name="Busy"
                        unit="%"
                        fill="#23855a"
                        radius={[4, 4, 0, 0]}
                        isAnimationActive={false}
                      >
                        <LabelList
                          dataKey="percent"
                          position="top"
                          fontSize={12}
                          formatter={percentLabel}
                        />
                      </Bar>
                    </BarChart>
                  </ResponsiveContainer>
                </div>
                <table className="visually-hidden">
                  <caption>Utilisation per agent</caption>
                  <thead>
                    <tr>
                      <th scope="col">Agent</th>
                      <th scope="col">Busy</th>
                    </tr>
                  </thead>
                  <tbody>
                    {bars.map((bar) => (
                      <tr key={bar.agentId}>
                        <th scope="row">{bar.name}</th>
                        <td>{bar.percent}%</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
