'use client';

import { ErrorNotice } from '../ui/error-notice';

export default function ErrorPage({ error, reset }: { error: Error; reset: () => void }) {
  return (
    <main id="main" className="page">
      <h1>Something went wrong</h1>
      <ErrorNotice
        error={error}
        action={
          <p>
            <button type="button" className="button" onClick={reset}>
              Try again
            </button>
          </p>
        }
      />
    </main>
  );
}
