'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import { CreateWorkspaceDocument, MeDocument } from '../../graphql/generated';
import { useGraphQL, useSessionClient } from '../../lib/session/session-provider';
import { useRequireSession } from '../../lib/session/use-require-session';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { dismissFlashNotice, useFlashNotice } from '../../lib/notice/flash-notice';
import { ROLE_NAMES } from '../settings/settings-model';
import styles from './workspace-picker.module.css';

export function WorkspacePicker() {
  const session = useRequireSession();
  const gql = useGraphQL();
  const client = useSessionClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState('');
  const notice = useFlashNotice();
  const signedIn = session.status === 'authenticated';
  const me = useQuery({
    queryKey: ['me'],
    queryFn: ({ signal }) => gql(MeDocument, {}, signal),
    enabled: signedIn,
  });
  const create = useMutation({
    mutationFn: async (workspaceName: string) => {
      const { createWorkspace } = await gql(CreateWorkspaceDocument, { name: workspaceName });
      await client.useWorkspace(createWorkspace.id);
      return createWorkspace;
    },
    onSuccess: async (workspace) => {
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      router.push(`/w/${workspace.id}/board`);
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate(name.trim());
  }

  if (!signedIn) {
    return (
      <main id="main" className="page">
        <p aria-busy="true">Loading…</p>
      </main>
    );
  }

  const memberships = me.data?.me.memberships ?? [];
  return (
    <main id="main" className={`page ${styles.page}`}>
      <header className="page-header">
        <h1>Workspaces</h1>
        <button
          type="button"
          className="button"
          onClick={() => void client.logOut().then(() => router.push('/login'))}
        >
          Log out
        </button>
      </header>
      {notice && (
        <div className="notice notice-info" role="alert">
          <p>{notice}</p>
          <p>
            <button type="button" className="button button-small" onClick={dismissFlashNotice}>
              Dismiss
            </button>
          </p>
        </div>
      )}
      {me.data && (
        <p className="lead">
          Signed in as {me.data.me.name} ({me.data.me.email}).
        </p>
      )}
      <section aria-labelledby={`${id}-yours`} className="panel">
        <h2 id={`${id}-yours`}>Your workspaces</h2>
        {me.isPending && <p aria-busy="true">Loading workspaces…</p>}
        {me.isError && <ErrorNotice error={me.error} />}
        {me.isSuccess && memberships.length === 0 && (
          <EmptyState>No workspaces yet — create one below.</EmptyState>
        )}
        {memberships.length > 0 && (
          <ul className={styles.list}>
            {memberships.map(({ workspace, role }) => (
              <li key={workspace.id}>
                <Link href={`/w/${workspace.id}/board`} className={styles.workspace}>
                  <span className={styles.name}>{workspace.name}</span>
                  <span className={styles.role}>{ROLE_NAMES[role]}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby={`${id}-new`} className="panel">
        <h2 id={`${id}-new`}>New workspace</h2>
        <form onSubmit={submit} className="stack">
          {create.isError && <ErrorNotice error={create.error} />}
          <div className="field">
            <label htmlFor={`${id}-name`}>Workspace name</label>
            <input
              id={`${id}-name`}
              value={name}
              onChange={(event) => setName(event.target.value)}
              required
              maxLength={100}
            />
          </div>
          <div>
            <button type="submit" className="button button-primary" disabled={create.isPending}>
              {create.isPending ? 'Creating…' : 'Create workspace'}
            </button>
          </div>
        </form>
      </section>
    </main>
  );
}
