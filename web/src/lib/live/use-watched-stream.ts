'use client';

import { useEffect, useRef, useState } from 'react';
import { usePublicConfig } from '../config/public-config';
import { useSession, useSessionClient } from '../session/session-provider';
import { LiveConnection, type LiveStatus, sessionToken } from './live-connection';
import type { LiveEvent } from './live-event';

/**
 * A live connection of its own that also receives one stream's narrow events (a run's log
 * lines, which the workspace's connection leaves out), resuming from its last position after a
 * drop. `onResync`: events may have been missed for good, so reload what is shown.
 */
export function useWatchedStream(
  workspaceId: string,
  subject: string,
  onEvent: (event: LiveEvent) => void,
  onResync: () => void,
): LiveStatus {
  const session = useSession();
  const client = useSessionClient();
  const { gatewayUrl } = usePublicConfig();
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const handlers = useRef({ onEvent, onResync });
  useEffect(() => {
    handlers.current = { onEvent, onResync };
  });
  const inWorkspace = session.status === 'authenticated' && session.workspaceId === workspaceId;

  useEffect(() => {
    if (!inWorkspace) {
      return;
    }
    const connection = new LiveConnection({
      url: gatewayUrl,
      watch: [subject],
      token: sessionToken(client),
      onEvent: (event) => {
        if (event.workspaceId === workspaceId && event.subject === subject) {
          handlers.current.onEvent(event);
        }
      },
      onStatus: setStatus,
      onResync: () => handlers.current.onResync(),
      onError: () => setStatus('stopped'),
    });
    connection.start();
    return () => connection.stop();
  }, [inWorkspace, workspaceId, subject, gatewayUrl, client]);

  return status;
}
