'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { safeNext } from '../../lib/session/safe-next';

/**
 * A sign-in form's submit: runs `act` with the form's fields, then goes where the person was
 * headed; on failure keeps them on the form with the error.
 */
export function useAuthSubmit(next: string | null, act: (form: FormData) => Promise<unknown>) {
  const router = useRouter();
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    try {
      await act(form);
      router.push(safeNext(next));
    } catch (caught) {
      setError(caught);
      setPending(false);
    }
  }

  return { error, pending, submit };
}
