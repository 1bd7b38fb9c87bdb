'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useId, useState } from 'react';
import {
  ChangePasswordDocument,
  MeDocument,
  RevokeSessionDocument,
  SessionsDocument,
  SignOutEverywhereDocument,
} from '../../graphql/generated';
import { useGraphQL, useSessionClient } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ConfirmButton } from '../../ui/confirm-button';
import { ErrorNotice } from '../../ui/error-notice';
import { formatDateTime } from './settings-model';
import styles from './settings.module.css';

// Identity's rule (services/identity: passwordSchema).
const MIN_PASSWORD = 10;

export function ProfileSettings() {
  const gql = useGraphQL();
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => gql(MeDocument, {}, signal) });
  return (
    <>
      <section className={`panel ${styles.section}`}>
        <h2>You</h2>
        {me.data ? (
          <p>
            <strong>{me.data.me.name}</strong> · {me.data.me.email}
          </p>
        ) : (
          <p aria-busy="true">Loading…</p>
        )}
      </section>
      <PasswordSection />
      <SessionsSection />
    </>
  );
}

function PasswordSection() {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const change = useMutation({
    mutationFn: () => gql(ChangePasswordDocument, { currentPassword: current, newPassword: next }),
    onSuccess: async () => {
      setCurrent('');
      setNext('');
      announce('Password changed; your other sessions were signed out');
      await queryClient.invalidateQueries({ queryKey: ['sessions'] });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    change.mutate();
  }

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>Password</h2>
      <form onSubmit={submit} className={styles.formNarrow}>
        {change.isError && <ErrorNotice error={change.error} />}
        {change.isSuccess && (
          <p className="notice notice-ok" role="status">
            Password changed. Every other session was signed out.
          </p>
        )}
        <div className="field">
          <label htmlFor={`${id}-current`}>Current password</label>
          <input
            id={`${id}-current`}
            type="password"
            autoComplete="current-password"
            value={current}
            onChange={(event) => setCurrent(event.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-new`}>New password</label>
          <input
            id={`${id}-new`}
            type="password"
            autoComplete="new-password"
            value={next}
            onChange={(event) => setNext(event.target.value)}
            required
            minLength={MIN_PASSWORD}
            aria-describedby={`${id}-new-hint`}
          />
          <p id={`${id}-new-hint`} className="hint">
            At least {MIN_PASSWORD} characters. Your other sessions will be signed out.
          </p>
        </div>
        <div>
          <button type="submit" className="button button-primary" disabled={change.isPending}>
            {change.isPending ? 'Changing…' : 'Change password'}
          </button>
        </div>
      </form>
    </section>
  );
}

function SessionsSection() {
  const gql = useGraphQL();
  const client = useSessionClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const announce = useAnnounce();
  const id = useId();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: ({ signal }) => gql(SessionsDocument, {}, signal),
  });
  const revoke = useMutation({
    mutationFn: (sessionId: string) => gql(RevokeSessionDocument, { sessionId }),
    onSuccess: async () => {
      announce('Session signed out');
      await queryClient.invalidateQueries({ queryKey: ['sessions'] });
    },
  });
  const everywhere = useMutation({
    mutationFn: () => gql(SignOutEverywhereDocument, {}),
    onSuccess: async () => {
      // This session ended too: drop the local one as logging out does.
      await client.logOut().catch(() => undefined);
      queryClient.clear();
      router.replace('/login');
    },
  });
  const list = sessions.data?.sessions ?? [];

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>Active sessions</h2>
      {sessions.isPending && <p aria-busy="true">Loading sessions…</p>}
      {sessions.isError && <ErrorNotice error={sessions.error} />}
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      {everywhere.isError && <ErrorNotice error={everywhere.error} />}
      {list.length > 0 && (
        <ul className={styles.rows} aria-label="Active sessions">
          {list.map((session) => (
            <li
              key={session.id}
              className={styles.row}
              aria-label={
                session.current
                  ? 'This session'
                  : `Session started ${formatDateTime(session.startedAt)}`
              }
            >
              <div className={styles.who}>
                <strong>
                  Signed in {formatDateTime(session.startedAt)}{' '}
                  {session.current && <span className="tag">This session</span>}
                </strong>
                <span className={styles.detail}>
                  Last active {formatDateTime(session.lastUsedAt)}
                </span>
              </div>
              <div className={styles.controls}>
                {!session.current && (
                  <ConfirmButton
                    label="Sign out"
                    question="Sign this session out?"
                    confirmLabel="Yes, sign out"
                    pending={revoke.isPending && revoke.variables === session.id}
                    onConfirm={() => revoke.mutate(session.id)}
                  />
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <div>
        <ConfirmButton
          label="Sign out everywhere"
          question="Sign out every session, this one included?"
          confirmLabel="Yes, sign out everywhere"
          pending={everywhere.isPending}
          onConfirm={() => everywhere.mutate()}
        />
      </div>
    </section>
  );
}
