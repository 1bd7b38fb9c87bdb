'use client';

import Link from 'next/link';
import { useId } from 'react';
import { useSessionClient } from '../../lib/session/session-provider';
import { ErrorNotice } from '../../ui/error-notice';
import styles from './auth-form.module.css';
import { useAuthSubmit } from './use-auth-submit';
import { formText } from '../../lib/forms/form-text';

export function LoginForm({ next }: { next: string | null }) {
  const session = useSessionClient();
  const id = useId();
  const { error, pending, submit } = useAuthSubmit(next, (form) =>
    session.logIn({
      email: formText(form, 'email'),
      password: formText(form, 'password'),
    }),
  );

  return (
    <main id="main" className={styles.card}>
      <h1>Log in</h1>
      <form onSubmit={(event) => void submit(event)} className="stack">
        {error !== null && <ErrorNotice error={error} />}
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} name="email" type="email" autoComplete="email" required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input
            id={`${id}-password`}
            name="password"
            type="password"
            autoComplete="current-password"
            required
          />
        </div>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Logging in…' : 'Log in'}
        </button>
      </form>
      <p className={styles.switch}>
        New here?{' '}
        <Link href={next ? `/signup?next=${encodeURIComponent(next)}` : '/signup'}>
          Create an account
        </Link>
      </p>
    </main>
  );
}
