'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  ActivateAgentDocument,
  type AgentsQuery,
  DeactivateAgentDocument,
  IssueAgentKeyDocument,
  type IssueAgentKeyMutation,
  RegisterAgentDocument,
} from '../../graphql/generated';
import { entityIdOf } from '../../lib/live/live-event';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { parseTags } from '../board/board-model';
import {
  applyAgentEvent,
  expiryText,
  type RosterAgent,
  rosterTree,
  STATUS_NAMES,
} from './agent-model';
import styles from './agents.module.css';
import { applyRunningEvent, type RunningRun, runningByAgent } from './agent-work-model';
import { ConnectPanel } from './connect-panel';
import { agentsKey, runningRunsKey, useAgents, useRunningRuns } from './use-agents';
import { formText } from '../../lib/forms/form-text';
import { useNow } from '../hosts/hosts-view';

export function AgentsView({ workspaceId }: { workspaceId: string }) {
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const agents = useAgents(workspaceId);
  const key = agentsKey(workspaceId);
  const [issued, setIssued] = useState<IssueAgentKeyMutation['issueAgentKey'] | null>(null);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const rows = useMemo(() => rosterTree(agents.data ?? [], collapsed), [agents.data, collapsed]);
  const now = useNow(5_000);
  const toggleChildren = (agentId: string) =>
    setCollapsed((old) => {
      const next = new Set(old);
      if (!next.delete(agentId)) {
        next.add(agentId);
      }
      return next;
    });

  const replaceAgent = (agent: RosterAgent) =>
    queryClient.setQueryData<AgentsQuery>(key, (old) => {
      if (!old) {
        return old;
      }
      const exists = old.agents.some((other) => other.id === agent.id);
      const list = exists
        ? old.agents.map((other) => (other.id === agent.id ? agent : other))
        : [...old.agents, agent];
      return { agents: list.sort((a, b) => a.name.localeCompare(b.name)) };
    });

  const running = useRunningRuns(workspaceId);
  const runningKey = runningRunsKey(workspaceId);
  const runsOf = useMemo(() => runningByAgent(running.data ?? []), [running.data]);

  useLiveEvents((event) => {
    const runs = queryClient.getQueryData<RunningRun[]>(runningKey);
    if (runs) {
      const next = applyRunningEvent(runs, event);
      if (next === 'refetch') {
        void queryClient.invalidateQueries({ queryKey: runningKey });
      } else if (next !== 'unchanged') {
        queryClient.setQueryData<RunningRun[]>(runningKey, next);
      }
    }
    const current = queryClient.getQueryData<AgentsQuery>(key);
    if (!current) {
      return;
    }
    const next = applyAgentEvent(current.agents, event);
    if (next === 'refetch') {
      void queryClient.invalidateQueries({ queryKey: key });
    } else if (next !== 'unchanged') {
      queryClient.setQueryData<AgentsQuery>(key, { agents: next });
      const agent = next.find((a) => a.id === entityIdOf(event, 'agent'));
      if (agent) {
        announce(`${agent.name} is ${STATUS_NAMES[agent.status].toLowerCase()}`);
      }
    }
  });

  return (
    <div className={styles.page}>
      <div className="page-header">
        <h1>Agents</h1>
        {agents.data && (
          <p className="muted">
            {agents.data.length === 1 ? '1 agent' : `${agents.data.length} agents`}
          </p>
        )}
      </div>
      <RegisterAgentForm workspaceId={workspaceId} onRegistered={replaceAgent} />
      {issued && (
        <IssuedKeyPanel
          issued={issued}
          onDone={() => {
            setIssued(null);
          }}
        />
      )}
      <section aria-labelledby="roster-heading" className="panel">
        <h2 id="roster-heading">Roster</h2>
        {agents.isPending && <p aria-busy="true">Loading agents…</p>}
        {agents.isError && <ErrorNotice error={agents.error} />}
        {running.isError && <ErrorNotice error={running.error} />}
        {agents.data && agents.data.length === 0 && (
          <EmptyState>No agents yet — register one above.</EmptyState>
        )}
        {agents.data && agents.data.length > 0 && (
          <div className={styles.tableWrap}>
            <table className={styles.table}>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Role</th>
                  <th scope="col">Model</th>
                  <th scope="col">Status</th>
                  <th scope="col">Running</th>
                  <th scope="col">Activity</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map(({ agent, depth, children }) => (
                  <AgentRow
                    key={agent.id}
                    agent={agent}
                    depth={depth}
                    subAgents={children}
                    expanded={!collapsed.has(agent.id)}
                    onToggleSubAgents={() => toggleChildren(agent.id)}
                    now={now}
                    runs={running.data ? (runsOf.get(agent.id) ?? []) : null}
                    workspaceId={workspaceId}
                    onChanged={replaceAgent}
                    onIssued={(result) => {
                      replaceAgent(result.agent);
                      setIssued(result);
                    }}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function RegisterAgentForm({
  workspaceId,
  onRegistered,
}: {
  workspaceId: string;
  onRegistered: (agent: RosterAgent) => void;
}) {
  const gql = useGraphQL();
  const announce = useAnnounce();
  const id = useId();
  const register = useMutation({
    mutationFn: (input: {
      name: string;
      role: string;
      model: string;
      provider: string;
      capabilities: string[];
    }) =>
      gql(RegisterAgentDocument, {
        workspaceId,
        input: {
          name: input.name,
          role: input.role,
          capabilities: input.capabilities,
          // Left out rather than empty: the service has its own defaults.
          ...(input.model ? { model: input.model } : {}),
          ...(input.provider ? { provider: input.provider } : {}),
        },
      }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    register.mutate(
      {
        name: formText(data, 'name').trim(),
        role: formText(data, 'role').trim(),
        model: formText(data, 'model').trim(),
        provider: formText(data, 'provider').trim(),
        capabilities: parseTags(formText(data, 'capabilities')),
      },
      {
        onSuccess: ({ registerAgent }) => {
          onRegistered(registerAgent);
          announce(`${registerAgent.name} registered; activate it to put it to work.`);
          form.reset();
        },
      },
    );
  }

  return (
    <section aria-labelledby={`${id}-heading`} className="panel">
      <h2 id={`${id}-heading`}>Register an agent</h2>
      <form onSubmit={submit} className={styles.form}>
        {register.isError && (
          <div className={styles.full}>
            <ErrorNotice error={register.error} />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" required maxLength={100} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <input id={`${id}-role`} name="role" required placeholder="lead, specialist…" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-model`}>Model</label>
          <input id={`${id}-model`} name="model" placeholder="claude-sonnet-4" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-provider`}>Provider</label>
          <input id={`${id}-provider`} name="provider" placeholder="anthropic" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-capabilities`}>Capabilities</label>
          <input
            id={`${id}-capabilities`}
            name="capabilities"
            placeholder="code, review"
            aria-describedby={`${id}-capabilities-hint`}
          />
          <span id={`${id}-capabilities-hint`} className="visually-hidden">
            Separate capabilities with commas
          </span>
        </div>
        <div className={styles.submit}>
          <button type="submit" className="button button-primary" disabled={register.isPending}>
            {register.isPending ? 'Registering…' : 'Register agent'}
          </button>
        </div>
      </form>
    </section>
  );
}

function AgentRow({
  agent,
  depth,
  subAgents,
  expanded,
  onToggleSubAgents,
  now,
  runs,
  workspaceId,
  onChanged,
  onIssued,
}: {
  agent: RosterAgent;
  /** 0 for an agent a person registered, 1 for a sub-agent under its parent. */
  depth: number;
  /** How many sub-agents it has (shown under it unless collapsed). */
  subAgents: number;
  expanded: boolean;
  onToggleSubAgents: () => void;
  now: number;
  /** What it runs now; null while not known. */
  runs: RunningRun[] | null;
  workspaceId: string;
  onChanged: (agent: RosterAgent) => void;
  onIssued: (issued: IssueAgentKeyMutation['issueAgentKey']) => void;
}) {
  const gql = useGraphQL();
  const announce = useAnnounce();
  const active = agent.status !== 'INACTIVE';
  // A sub-agent keeps the key it was spawned with and, once stopped, stays stopped.
  const subAgent = agent.parentId !== null;
  const toggle = useMutation({
    mutationFn: async () =>
      active
        ? (await gql(DeactivateAgentDocument, { workspaceId, id: agent.id })).deactivateAgent
        : (await gql(ActivateAgentDocument, { workspaceId, id: agent.id })).activateAgent,
    onSuccess: (updated) => {
      onChanged(updated);
      announce(`${updated.name} is ${STATUS_NAMES[updated.status].toLowerCase()}`);
    },
  });
  const issue = useMutation({
    mutationFn: () => gql(IssueAgentKeyDocument, { workspaceId, agentId: agent.id }),
    onSuccess: ({ issueAgentKey }) => onIssued(issueAgentKey),
  });
  const error = toggle.error ?? issue.error;
  return (
    <>
      <tr data-agent-depth={depth} className={subAgent ? styles.subAgentRow : undefined}>
        <th scope="row" className={`${styles.name} ${depth > 0 ? styles.nested : ''}`}>
          <div className={styles.nameLine}>
            {subAgents > 0 && (
              <button
                type="button"
                className={styles.treeToggle}
                aria-expanded={expanded}
                onClick={onToggleSubAgents}
              >
                <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>
                <span className="visually-hidden">
                  {expanded ? 'Hide' : 'Show'} the sub-agents of {agent.name}
                </span>
              </button>
            )}
            <Link href={`/w/${workspaceId}/agents/${agent.id}`}>{agent.name}</Link>
            {subAgents > 0 && (
              <span className={`muted ${styles.subAgentCount}`}>
                {subAgents === 1 ? '1 sub-agent' : `${subAgents} sub-agents`}
              </span>
            )}
          </div>
          {subAgent && (
            <div className={styles.subAgentLine}>
              <span className={`badge ${styles.subAgentBadge}`}>sub-agent</span>
              {agent.expiresAt && (
                <time
                  className="muted"
                  dateTime={agent.expiresAt}
                  title={new Date(agent.expiresAt).toLocaleString()}
                >
                  {expiryText(agent, now)}
                </time>
              )}
            </div>
          )}
        </th>
        <td>{agent.role}</td>
        <td className={styles.model}>
          {agent.model}
          {agent.provider && <span className="muted"> · {agent.provider}</span>}
        </td>
        <td>
          <span className={`badge ${styles.status} ${styles[`status${agent.status}`]}`}>
            <span aria-hidden="true" className={styles.dot} />
            {STATUS_NAMES[agent.status]}
          </span>
        </td>
        <td className={styles.runningCell}>
          {runs === null ? (
            <span className="muted">…</span>
          ) : runs.length === 0 ? (
            <span className="muted">
              —<span className="visually-hidden">Nothing</span>
            </span>
          ) : (
            <ul className={styles.runningList}>
              {runs.map((run) => (
                <li key={run.id}>
                  <Link href={`/w/${workspaceId}/runs/${run.id}`} className={styles.running}>
                    <span aria-hidden="true" className={styles.pulse} />
                    <span className="visually-hidden">Running </span>
                    {run.mission.title}
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </td>
        <td className={styles.activity}>{agent.activity ?? <span className="muted">—</span>}</td>
        <td>
          {/* A flex cell stops being a table cell: the row's border would break. */}
          <div className={styles.actions}>
            {(active || !subAgent) && (
              <button
                type="button"
                className="button button-small"
                onClick={() => toggle.mutate()}
                disabled={toggle.isPending}
              >
                {active ? 'Deactivate' : 'Activate'}
                <span className="visually-hidden"> {agent.name}</span>
              </button>
            )}
            {!subAgent && (
              <button
                type="button"
                className="button button-small"
                onClick={() => issue.mutate()}
                disabled={issue.isPending}
              >
                Issue key<span className="visually-hidden"> for {agent.name}</span>
              </button>
            )}
          </div>
        </td>
      </tr>
      {error && (
        <tr>
          <td colSpan={7}>
            <ErrorNotice error={error} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The new key, shown this once; it leaves memory when the panel is closed. */
function IssuedKeyPanel({
  issued,
  onDone,
}: {
  issued: IssueAgentKeyMutation['issueAgentKey'];
  onDone: () => void;
}) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const [copied, setCopied] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    heading.current?.focus();
  }, [issued.keyId]);

  async function copy() {
    try {
      await navigator.clipboard.writeText(issued.key);
      setCopied('copied');
    } catch {
      setCopied('failed');
    }
  }

  return (
    <section aria-labelledby={`${id}-heading`} className={`panel ${styles.keyPanel}`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1}>
        New key for {issued.agent.name}
      </h2>
      <p>Copy it now: it is shown only this once. Any key the agent had before no longer works.</p>
      <div className={styles.keyRow}>
        <code className={styles.key} aria-label={`Key for ${issued.agent.name}`}>
          {issued.key}
        </code>
        <button type="button" className="button button-primary" onClick={() => void copy()}>
          Copy key
        </button>
        <button type="button" className="button" onClick={onDone}>
          Done
        </button>
      </div>
      <p className="muted" role="status">
        {copied === 'copied' && 'Copied to the clipboard.'}
        {copied === 'failed' && 'Copying is not allowed here: select the key and copy it by hand.'}
      </p>
      <ConnectPanel agentName={issued.agent.name} agentKey={issued.key} />
    </section>
  );
}
