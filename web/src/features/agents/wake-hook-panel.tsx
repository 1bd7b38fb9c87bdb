'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import {
  AgentWakeHookDocument,
  type AgentWakeHookQuery,
  MeDocument,
  RemoveAgentWakeHookDocument,
  SetAgentWakeHookDocument,
} from '../../graphql/generated';
import { useLiveEvents } from '../../lib/live/live-provider';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ConfirmButton } from '../../ui/confirm-button';
import { CopyField } from '../../ui/copy-field';
import { ErrorNotice } from '../../ui/error-notice';
import {
  canManageAgents,
  DELIVERY_NAMES,
  describeDelivery,
  refreshEveryMs,
  wakeUrlProblem,
} from './wake-hook-model';
import styles from './agent.module.css';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * The agent's wake URL: where the server POSTs, signed, when there is work for it. Everyone sees
 * whether it has one and how its last wake went; those who manage agents set, rotate and remove
 * it, and see its signing secret once, when it is made.
 */
export function WakeHookPanel({
  workspaceId,
  agentId,
  agentName,
}: {
  workspaceId: string;
  agentId: string;
  agentName: string;
}) {
  const id = useId();
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const key = useMemo(() => ['agent-wake', workspaceId, agentId] as const, [workspaceId, agentId]);
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => gql(MeDocument, {}, signal) });
  const role = me.data?.me.memberships.find(
    (membership) => membership.workspace.id === workspaceId,
  )?.role;
  const manager = canManageAgents(role);
  const hookQuery = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => gql(AgentWakeHookDocument, { workspaceId, id: agentId }, signal),
    select: (data) => data.agent.wakeHook,
    refetchInterval: (query) => refreshEveryMs(query.state.data?.agent.wakeHook),
  });
  const hook = hookQuery.data;
  const [secret, setSecret] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const secretHeading = useRef<HTMLHeadingElement>(null);

  // A wake follows a mission for this agent within a second or so: look shortly after.
  useLiveEvents((event) => {
    if (!hook) {
      return;
    }
    const data = event.data ?? {};
    const forAgent =
      (event.type === 'mission.v1.MissionAssigned' && data.agentId === agentId) ||
      ((event.type === 'mission.v1.MissionCreated' ||
        event.type === 'mission.v1.MissionMoved' ||
        event.type === 'mission.v1.MissionReleased') &&
        (data.column ?? data.toColumn) === 'BOARD_COLUMN_TODO');
    if (forAgent) {
      for (const delay of [800, 2_500]) {
        setTimeout(() => void queryClient.invalidateQueries({ queryKey: key }), delay);
      }
    }
  });

  const save = useMutation({
    mutationFn: (next: string) =>
      gql(SetAgentWakeHookDocument, { workspaceId, agentId, url: next }),
    onSuccess: ({ setAgentWakeHook }) => {
      queryClient.setQueryData<AgentWakeHookQuery>(key, {
        agent: { id: agentId, wakeHook: setAgentWakeHook.wakeHook },
      });
      setSecret(setAgentWakeHook.secret);
      setEditing(false);
      setUrl('');
      announce(`Wake URL saved for ${agentName}; copy its signing secret now`);
    },
  });
  const remove = useMutation({
    mutationFn: () => gql(RemoveAgentWakeHookDocument, { workspaceId, agentId }),
    onSuccess: ({ removeAgentWakeHook }) => {
      queryClient.setQueryData<AgentWakeHookQuery>(key, {
        agent: { id: agentId, wakeHook: removeAgentWakeHook.wakeHook },
      });
      setSecret(null);
      announce(`${agentName} is no longer woken over HTTP`);
    },
  });

  useEffect(() => {
    if (secret) {
      secretHeading.current?.focus();
    }
  }, [secret]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const found = wakeUrlProblem(url);
    setProblem(found);
    if (!found) {
      save.mutate(url.trim());
    }
  }

  const delivery = hook?.lastDelivery;
  const showForm = manager && (!hook || editing);
  return (
    <section aria-labelledby={`${id}-heading`} className="panel stack">
      <div>
        <h2 id={`${id}-heading`}>Wake URL</h2>
        <p className="muted">
          When there is work for {agentName}, Mission Control POSTs a signed wake to this URL, so an
          agent that is not connected does not need to poll.
        </p>
      </div>
      {hookQuery.isError && <ErrorNotice error={hookQuery.error} />}
      {hookQuery.isPending && !hookQuery.isError && (
        <p aria-busy="true" className="muted">
          Loading…
        </p>
      )}
      {hookQuery.isSuccess && !hook && (
        <p>No wake URL: the agent is woken only on its live connection.</p>
      )}
      {hook && (
        <dl className={styles.facts} aria-label="Wake URL">
          <div className={styles.wide}>
            <dt>URL</dt>
            <dd>
              {hook.url ? (
                <code className={styles.wakeUrl}>{hook.url}</code>
              ) : (
                <span className="muted">Set (only those who manage agents see it)</span>
              )}
            </dd>
          </div>
          <div>
            <dt>Set</dt>
            <dd>
              <time dateTime={hook.createdAt}>{dateTime.format(new Date(hook.createdAt))}</time>
            </dd>
          </div>
          <div className={styles.wide}>
            <dt>Last wake</dt>
            <dd>
              {delivery ? (
                <span className={styles.delivery}>
                  <span
                    className={`badge ${styles.deliveryStatus} ${styles[`delivery${delivery.status}`]}`}
                    data-testid="wake-delivery-status"
                  >
                    {DELIVERY_NAMES[delivery.status]}
                  </span>
                  <span>{describeDelivery(delivery)}</span>
                  <span className="muted">
                    <time dateTime={delivery.at}>{dateTime.format(new Date(delivery.at))}</time>
                    {delivery.nextAttemptAt && (
                      <>
                        {' '}
                        · next try{' '}
                        <time dateTime={delivery.nextAttemptAt}>
                          {dateTime.format(new Date(delivery.nextAttemptAt))}
                        </time>
                      </>
                    )}
                  </span>
                </span>
              ) : (
                <span className="muted">None yet</span>
              )}
            </dd>
          </div>
        </dl>
      )}
      {secret && (
        <div className="notice notice-info stack" aria-labelledby={`${id}-secret`}>
          <h3 id={`${id}-secret`} ref={secretHeading} tabIndex={-1}>
            Signing secret
          </h3>
          <CopyField
            label={`Signing secret for ${agentName}`}
            value={secret}
            hint="Copy it now: it is shown only this once. Setting the URL again makes a new one."
          />
          <p className="hint">
            Each wake carries <code>webhook-id</code>, <code>webhook-timestamp</code> and{' '}
            <code>webhook-signature</code> headers (Standard Webhooks). Verify them with this secret
            before acting, e.g. <code>new Webhook(secret).verify(body, headers)</code> from the{' '}
            <code>standardwebhooks</code> package (libraries exist for most languages).
          </p>
          <div>
            <button type="button" className="button" onClick={() => setSecret(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      {showForm && (
        <form onSubmit={submit} className="stack" noValidate>
          <div className="field">
            <label htmlFor={`${id}-url`}>{hook ? 'New wake URL' : 'Wake URL'}</label>
            <input
              id={`${id}-url`}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              value={url}
              onChange={(event) => {
                setUrl(event.target.value);
                setProblem(null);
              }}
              placeholder="https://agents.example.com/wake"
              maxLength={2_048}
              aria-invalid={problem ? true : undefined}
              aria-describedby={`${id}-url-hint`}
            />
            <p id={`${id}-url-hint`} className="hint" role={problem ? 'alert' : undefined}>
              {problem ?? 'An http or https address that accepts a POST.'}
            </p>
          </div>
          <div className={`actions ${styles.wakeActions}`}>
            <button type="submit" className="button button-primary" disabled={save.isPending}>
              {save.isPending ? 'Saving…' : hook ? 'Save and make a new secret' : 'Save wake URL'}
            </button>
            {hook && (
              <button type="button" className="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
      {save.isError && <ErrorNotice error={save.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {manager && hook && !editing && (
        <div className={`actions ${styles.wakeActions}`}>
          <button type="button" className="button button-small" onClick={() => setEditing(true)}>
            Change URL or rotate secret
          </button>
          <ConfirmButton
            label="Remove wake URL"
            question={`Stop waking ${agentName} over HTTP?`}
            confirmLabel="Remove"
            pending={remove.isPending}
            onConfirm={() => remove.mutate()}
          />
        </div>
      )}
    </section>
  );
}
