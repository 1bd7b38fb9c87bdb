'use client';

import Link from 'next/link';
import { useId } from 'react';
import { useSessionClient } from '../../lib/session/session-provider';
import { ErrorNotice } from '../../ui/error-notice';
import styles from './auth-form.module.css';
import { useAuthSubmit } from './use-auth-submit';
import { formText } from '../../lib/forms/form-text';

export function SignUpForm({ next }: { next: string | null }) {
  const session = useSessionClient();
  const id = useId();
  const { error, pending, submit } = useAuthSubmit(next, (form) =>
    session.signUp({
      name: formText(form, 'name'),
      email: formText(form, 'email'),
      password: formText(form, 'password'),
    }),
  );

  return (
    <main id="main" className={styles.card}>
      <h1>Create your account</h1>
      <form onSubmit={(event) => void submit(event)} className="stack">
        {error !== null && <ErrorNotice error={error} />}
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} name="name" autoComplete="name" required maxLength={200} />
        </div>
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
            autoComplete="new-password"
            minLength={10}
            required
            aria-describedby={`${id}-password-hint`}
          />
          <p id={`${id}-password-hint`} className="hint">
            At least 10 characters.
          </p>
        </div>
        <button type="submit" className="button button-primary" disabled={pending}>
          {pending ? 'Signing up…' : 'Sign up'}
        </button>
      </form>
      <p className={styles.switch}>
        Already have an account?{' '}
        <Link href={next ? `/login?next=${encodeURIComponent(next)}` : '/login'}>Log in</Link>
      </p>
    </main>
  );
}
