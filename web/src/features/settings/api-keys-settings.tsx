'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  ApiKeysDocument,
  IssueApiKeyDocument,
  type Permission,
  RevokeApiKeyDocument,
} from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ConfirmButton } from '../../ui/confirm-button';
import { CopyField } from '../../ui/copy-field';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatDateTime, permissionNames, PERMISSIONS } from './settings-model';
import styles from './settings.module.css';
import { useMyRole } from './use-my-role';

export function ApiKeysSettings({ workspaceId }: { workspaceId: string }) {
  const { role } = useMyRole(workspaceId);
  if (role === undefined) {
    return <p aria-busy="true">Loading…</p>;
  }
  if (role !== 'ADMIN') {
    return (
      <section className="panel">
        <h2>API keys</h2>
        <p className="muted">Only admins can see and issue the workspace&apos;s API keys.</p>
      </section>
    );
  }
  return (
    <>
      <IssueKeySection workspaceId={workspaceId} />
      <KeyList workspaceId={workspaceId} />
    </>
  );
}

function IssueKeySection({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Set<Permission>>(new Set());
  const issue = useMutation({
    mutationFn: () =>
      gql(IssueApiKeyDocument, { workspaceId, name: name.trim(), scopes: [...scopes] }),
    onSuccess: async ({ issueApiKey }) => {
      setName('');
      setScopes(new Set());
      announce(`API key ${issueApiKey.apiKey.name} issued`);
      await queryClient.invalidateQueries({ queryKey: ['api-keys', workspaceId] });
    },
  });

  function toggle(scope: Permission, on: boolean) {
    setScopes((current) => {
      const next = new Set(current);
      if (on) {
        next.add(scope);
      } else {
        next.delete(scope);
      }
      return next;
    });
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    issue.mutate();
  }

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>Issue an API key</h2>
      <form onSubmit={submit} className="stack">
        <div className="field">
          <label htmlFor={`${id}-name`}>Key name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            maxLength={100}
            placeholder="e.g. CI pipeline"
          />
        </div>
        <fieldset className={styles.scopes}>
          <legend>Scopes</legend>
          {PERMISSIONS.map((permission) => (
            <label key={permission.value} className={styles.scope}>
              <input
                type="checkbox"
                checked={scopes.has(permission.value)}
                onChange={(event) => toggle(permission.value, event.target.checked)}
              />
              <span>
                {permission.label}
                <span className="hint">{permission.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={issue.isPending || scopes.size === 0}
          >
            {issue.isPending ? 'Issuing…' : 'Issue key'}
          </button>
          {scopes.size === 0 && <span className="hint"> Pick at least one scope.</span>}
        </div>
      </form>
      {issue.isError && <ErrorNotice error={issue.error} />}
      {issue.isSuccess && (
        <div className="notice notice-info">
          <CopyField
            label={`Secret of ${issue.data.issueApiKey.apiKey.name}`}
            value={issue.data.issueApiKey.secret}
            hint="Copy it now: it is shown only once and cannot be recovered."
          />
        </div>
      )}
    </section>
  );
}

function KeyList({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const keys = useQuery({
    queryKey: ['api-keys', workspaceId],
    queryFn: ({ signal }) => gql(ApiKeysDocument, { workspaceId }, signal),
  });
  const revoke = useMutation({
    mutationFn: (input: { apiKeyId: string; name: string }) =>
      gql(RevokeApiKeyDocument, { workspaceId, apiKeyId: input.apiKeyId }),
    onSuccess: async (_, input) => {
      announce(`API key ${input.name} revoked`);
      await queryClient.invalidateQueries({ queryKey: ['api-keys', workspaceId] });
    },
  });
  const list = keys.data?.apiKeys ?? [];

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>API keys</h2>
      {keys.isPending && <p aria-busy="true">Loading keys…</p>}
      {keys.isError && <ErrorNotice error={keys.error} />}
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      {keys.isSuccess && list.length === 0 && <EmptyState>No API keys yet.</EmptyState>}
      {list.length > 0 && (
        <ul className={styles.rows} aria-label="API keys">
          {list.map((key) => (
            <li
              key={key.id}
              className={`${styles.row} ${key.revokedAt ? styles.revoked : ''}`}
              aria-label={key.name}
            >
              <div className={styles.who}>
                <strong>
                  {key.name} <code>mc_{key.prefix}_…</code>
                </strong>
                <span className={styles.detail}>{permissionNames(key.scopes)}</span>
                <span className={styles.detail}>
                  Created {formatDateTime(key.createdAt)} · last used{' '}
                  {key.lastUsedAt ? formatDateTime(key.lastUsedAt) : 'never'}
                </span>
              </div>
              <div className={styles.controls}>
                {key.revokedAt ? (
                  <span className="badge">Revoked {formatDateTime(key.revokedAt)}</span>
                ) : (
                  <ConfirmButton
                    label="Revoke"
                    question={`Revoke ${key.name}?`}
                    confirmLabel="Yes, revoke"
                    pending={revoke.isPending && revoke.variables.apiKeyId === key.id}
                    onConfirm={() => revoke.mutate({ apiKeyId: key.id, name: key.name })}
                  />
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
