'use client';

import Link from 'next/link';
import { type ReactNode, useEffect, useState } from 'react';
import { LiveProvider } from '../../lib/live/live-provider';
import { BudgetAlerts } from '../budgets/budget-alerts';
import { useSessionClient } from '../../lib/session/session-provider';
import { useRequireSession } from '../../lib/session/use-require-session';
import { ErrorNotice } from '../../ui/error-notice';
import { AppHeader } from './app-header';
import { useAccessCheck } from './use-access-check';

/**
 * Every page of a workspace: makes sure the access token acts in the workspace of the URL, then
 * shows the header and opens live push for it.
 */
export function WorkspaceShell({
  workspaceId,
  children,
}: {
  workspaceId: string;
  children: ReactNode;
}) {
  const session = useRequireSession();
  const client = useSessionClient();
  const [switchError, setSwitchError] = useState<unknown>(null);
  const checkAccess = useAccessCheck(workspaceId);
  const authenticated = session.status === 'authenticated';
  const inWorkspace = authenticated && session.workspaceId === workspaceId;

  useEffect(() => {
    if (!authenticated || inWorkspace) {
      return;
    }
    setSwitchError(null);
    client.useWorkspace(workspaceId).catch(setSwitchError);
  }, [authenticated, inWorkspace, client, workspaceId]);

  if (switchError !== null) {
    return (
      <main id="main" className="page">
        <h1>This workspace is not open to you</h1>
        <ErrorNotice error={switchError} />
        <p>
          <Link href="/workspaces">Choose another workspace</Link>
        </p>
      </main>
    );
  }
  if (!inWorkspace) {
    return (
      <main id="main" className="page">
        <p aria-busy="true">Opening the workspace…</p>
      </main>
    );
  }
  return (
    <LiveProvider workspaceId={workspaceId} onAccessRevoked={checkAccess}>
      <AppHeader workspaceId={workspaceId} />
      <BudgetAlerts workspaceId={workspaceId} />
      <main id="main" className="workspace-main">
        {children}
      </main>
    </LiveProvider>
  );
}
