'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  AgentsDocument,
  BudgetsDocument,
  DeleteBudgetDocument,
  ResumeBudgetDocument,
  SetBudgetDocument,
  type SetBudgetInput,
} from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ConfirmButton } from '../../ui/confirm-button';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { useMyRole } from '../settings/use-my-role';
import {
  type BudgetDraft,
  type BudgetView,
  draftOf,
  emptyDraft,
  inputOf,
  limitsText,
  PERIODS,
  resetText,
  spentText,
  STANDING,
  touchesBudgets,
  usedPercent,
} from './budget-model';
import styles from './budgets.module.css';

export const budgetsKey = (workspaceId: string) => ['budgets', workspaceId] as const;

/** The workspace's budgets, kept current by live events (shared by the settings and the alerts). */
export function useBudgets(workspaceId: string) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  useLiveEvents((event) => {
    if (touchesBudgets(event.type)) {
      void queryClient.invalidateQueries({ queryKey: budgetsKey(workspaceId) });
    }
  });
  return useQuery({
    queryKey: budgetsKey(workspaceId),
    queryFn: ({ signal }) => gql(BudgetsDocument, { workspaceId }, signal),
  });
}

/** Settings → Budgets: every member sees them; admins make, change, resume and delete them. */
export function BudgetsSettings({ workspaceId }: { workspaceId: string }) {
  const { role } = useMyRole(workspaceId);
  const budgets = useBudgets(workspaceId);
  const gql = useGraphQL();
  const agents = useQuery({
    queryKey: ['agents', workspaceId],
    queryFn: ({ signal }) => gql(AgentsDocument, { workspaceId }, signal),
  });
  const [editing, setEditing] = useState<string | null>(null);
  const isAdmin = role === 'ADMIN';
  const agentNames = new Map((agents.data?.agents ?? []).map((agent) => [agent.id, agent.name]));
  const list = budgets.data?.budgets ?? [];

  return (
    <>
      {isAdmin ? (
        <BudgetForm workspaceId={workspaceId} agents={agents.data?.agents ?? []} />
      ) : (
        role !== undefined && (
          <p className="muted">Only admins can set, change or resume budgets.</p>
        )
      )}
      <section aria-labelledby="budgets-title" className={`panel ${styles.section}`}>
        <h2 id="budgets-title">Budgets</h2>
        <p className={styles.detail}>
          Every usage report counts against the workspace&apos;s budgets and its agent&apos;s. At
          the warning share, members are told; at a limit, the runs under the budget are cancelled
          at once and new runs and claims are refused until an admin raises or resumes it.
        </p>
        {budgets.isPending && <p aria-busy="true">Loading budgets…</p>}
        {budgets.isError && <ErrorNotice error={budgets.error} />}
        {budgets.isSuccess && list.length === 0 && (
          <EmptyState>No budgets yet: spending is not limited.</EmptyState>
        )}
        {list.length > 0 && (
          <ul className={styles.list} aria-label="Budgets">
            {list.map((budget) =>
              editing === budget.id ? (
                <li key={budget.id} className={styles.budget} aria-label={budget.name}>
                  <BudgetForm
                    workspaceId={workspaceId}
                    agents={agents.data?.agents ?? []}
                    budget={budget}
                    onDone={() => setEditing(null)}
                  />
                </li>
              ) : (
                <BudgetRow
                  key={budget.id}
                  workspaceId={workspaceId}
                  budget={budget}
                  scope={
                    budget.agentId
                      ? (agentNames.get(budget.agentId) ?? 'An agent')
                      : 'Whole workspace'
                  }
                  isAdmin={isAdmin}
                  onEdit={() => setEditing(budget.id)}
                />
              ),
            )}
          </ul>
        )}
      </section>
    </>
  );
}

function BudgetRow({
  workspaceId,
  budget,
  scope,
  isAdmin,
  onEdit,
}: {
  workspaceId: string;
  budget: BudgetView;
  scope: string;
  isAdmin: boolean;
  onEdit: () => void;
}) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const refresh = () => queryClient.invalidateQueries({ queryKey: budgetsKey(workspaceId) });
  const resume = useMutation({
    mutationFn: () => gql(ResumeBudgetDocument, { workspaceId, budgetId: budget.id }),
    onSuccess: async () => {
      announce(`Work resumed under ${budget.name}`);
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: () => gql(DeleteBudgetDocument, { workspaceId, budgetId: budget.id }),
    onSuccess: async () => {
      announce(`Budget ${budget.name} deleted`);
      await refresh();
    },
  });
  const standing = STANDING[budget.standing];
  const used = usedPercent(budget);

  return (
    <li className={styles.budget} aria-label={budget.name}>
      <div className={styles.head}>
        <strong>
          {budget.name} <span className={styles.detail}>· {scope}</span>
        </strong>
        <span className={`badge ${styles[`tone-${standing.tone}`]}`}>{standing.label}</span>
      </div>
      <meter
        className={styles.meter}
        min={0}
        max={100}
        low={budget.warnPercent}
        high={99.99}
        optimum={0}
        value={Math.min(used, 100)}
        aria-label={`${Math.round(used)} % of ${budget.name} used`}
      />
      <span className={styles.detail}>
        Spent {spentText(budget)} of {limitsText(budget)} ({Math.round(used)} %) · warns at{' '}
        {budget.warnPercent} % · {resetText(budget.periodEndsAt)}
      </span>
      {(resume.isError || remove.isError) && <ErrorNotice error={resume.error ?? remove.error} />}
      {isAdmin && (
        <div className={styles.actions}>
          <button type="button" className="button" onClick={onEdit}>
            Edit
          </button>
          {budget.standing === 'EXCEEDED' && (
            <button
              type="button"
              className="button button-primary"
              disabled={resume.isPending}
              onClick={() => resume.mutate()}
            >
              {resume.isPending ? 'Resuming…' : 'Resume work until the period ends'}
            </button>
          )}
          <ConfirmButton
            label="Delete"
            question={`Delete ${budget.name}? Spending under it is no longer limited.`}
            confirmLabel="Yes, delete"
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      )}
    </li>
  );
}

function BudgetForm({
  workspaceId,
  agents,
  budget,
  onDone,
}: {
  workspaceId: string;
  agents: { id: string; name: string }[];
  budget?: BudgetView;
  onDone?: () => void;
}) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const [draft, setDraft] = useState<BudgetDraft>(budget ? draftOf(budget) : emptyDraft);
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (input: SetBudgetInput) => gql(SetBudgetDocument, { workspaceId, input }),
    onSuccess: async ({ setBudget }) => {
      announce(
        setBudget.standing === 'EXCEEDED'
          ? `${setBudget.name} saved: its limit is already reached, work under it is stopped`
          : `${setBudget.name} saved`,
      );
      if (!budget) {
        setDraft(emptyDraft);
      }
      await queryClient.invalidateQueries({ queryKey: budgetsKey(workspaceId) });
      onDone?.();
    },
  });
  const field = (key: keyof BudgetDraft) => ({
    id: `${id}-${key}`,
    value: draft[key],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [key]: event.target.value })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const made = inputOf(draft, budget?.id ?? null);
    if ('problem' in made) {
      setProblem(made.problem);
      return;
    }
    setProblem(null);
    save.mutate(made.input);
  }

  const title = budget ? `Change ${budget.name}` : 'Set a budget';
  return (
    <section
      aria-labelledby={`${id}-title`}
      className={budget ? styles.section : `panel ${styles.section}`}
    >
      <h2 id={`${id}-title`}>{title}</h2>
      <form onSubmit={submit} className="stack" noValidate>
        <div className={styles.form}>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input {...field('name')} required maxLength={100} placeholder="e.g. Squad per month" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-agentId`}>Counts the runs of</label>
            <select {...field('agentId')} disabled={budget !== undefined}>
              <option value="">The whole workspace</option>
              {agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-period`}>Period</label>
            <select {...field('period')}>
              {PERIODS.map((period) => (
                <option key={period.value} value={period.value}>
                  {period.label}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-costLimitUsd`}>Money limit (US $)</label>
            <input {...field('costLimitUsd')} inputMode="decimal" placeholder="e.g. 50" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tokenLimit`}>Token limit</label>
            <input {...field('tokenLimit')} inputMode="numeric" placeholder="e.g. 2000000" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-warnPercent`}>Warn at (%)</label>
            <input {...field('warnPercent')} inputMode="numeric" />
          </div>
        </div>
        <div className={styles.actions}>
          <button type="submit" className="button button-primary" disabled={save.isPending}>
            {save.isPending ? 'Saving…' : budget ? 'Save changes' : 'Set budget'}
          </button>
          {onDone && (
            <button type="button" className="button" onClick={onDone}>
              Cancel
            </button>
          )}
        </div>
      </form>
      {problem && (
        <div className="notice notice-error" role="alert">
          <p>{problem}</p>
        </div>
      )}
      {save.isError && <ErrorNotice error={save.error} />}
    </section>
  );
}
