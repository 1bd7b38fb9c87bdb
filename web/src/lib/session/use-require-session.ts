'use client';

import { usePathname, useRouter } from 'next/navigation';
import { useEffect } from 'react';
import type { SessionState } from './session-client';
import { useSession } from './session-provider';

/** The session; people who are not logged in are sent to the login page and brought back after. */
export function useRequireSession(): SessionState {
  const session = useSession();
  const router = useRouter();
  const pathname = usePathname();
  useEffect(() => {
    if (session.status === 'anonymous') {
      router.replace(`/login?next=${encodeURIComponent(pathname)}`);
    }
  }, [session.status, router, pathname]);
  return session;
}
