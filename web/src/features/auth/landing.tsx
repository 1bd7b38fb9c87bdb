'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useSession } from '../../lib/session/session-provider';

/** The front door: signed-in people go straight to their workspaces. */
export function Landing() {
  const session = useSession();
  const router = useRouter();
  useEffect(() => {
    if (session.status === 'authenticated') {
      router.replace(session.workspaceId ? `/w/${session.workspaceId}/board` : '/workspaces');
    }
  }, [session, router]);
  return (
    <main id="main" className="page landing">
      <h1>Mission Control</h1>
      <p className="lead">
        The control plane for squads of AI agents: plan missions on a live board, watch your agents
        work, and see how the squad is doing.
      </p>
      <p className="actions">
        <Link className="button button-primary" href="/signup">
          Sign up
        </Link>
        <Link className="button" href="/login">
          Log in
        </Link>
      </p>
    </main>
  );
}
