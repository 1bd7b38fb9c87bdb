'use client';

import { useQueryClient } from '@tanstack/react-query';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { usePublicConfig } from '../config/public-config';
import { useSession, useSessionClient } from '../session/session-provider';
import { LiveConnection, type LiveStatus, sessionToken } from './live-connection';
import type { LiveErrorPayload, LiveEvent } from './live-event';

type Listener = (event: LiveEvent) => void;

type LiveContextValue = {
  status: LiveStatus;
  error: LiveErrorPayload | null;
  subscribe: (listener: Listener) => () => void;
};

const LiveContext = createContext<LiveContextValue | null>(null);

/** One socket per open workspace; pages subscribe to its events with useLiveEvents. */
export function LiveProvider({
  workspaceId,
  onAccessRevoked,
  children,
}: {
  workspaceId: string;
  /** The gateway said this person lost access to the workspace (or some of it). */
  onAccessRevoked?: () => void;
  children: ReactNode;
}) {
  const session = useSession();
  const client = useSessionClient();
  const { gatewayUrl } = usePublicConfig();
  const queryClient = useQueryClient();
  const listeners = useRef(new Set<Listener>());
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [error, setError] = useState<LiveErrorPayload | null>(null);
  const inWorkspace = session.status === 'authenticated' && session.workspaceId === workspaceId;
  const accessRevoked = useRef(onAccessRevoked);
  useEffect(() => {
    accessRevoked.current = onAccessRevoked;
  });

  useEffect(() => {
    if (!inWorkspace) {
      return;
    }
    setError(null);
    const connection = new LiveConnection({
      url: gatewayUrl,
      token: sessionToken(client),
      onEvent: (event) => {
        if (event.workspaceId !== workspaceId) {
          return;
        }
        // Views on screen patch themselves from the event; anything cached for a view that is
        // not must be fetched again when it opens, or it would show the world before the event.
        void queryClient.invalidateQueries({ refetchType: 'none' });
        for (const listener of listeners.current) {
          listener(event);
        }
      },
      onStatus: setStatus,
      onResync: () => void queryClient.invalidateQueries(),
      onError: setError,
      onAccessRevoked: () => accessRevoked.current?.(),
    });
    connection.start();
    return () => connection.stop();
  }, [inWorkspace, workspaceId, gatewayUrl, client, queryClient]);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo(() => ({ status, error, subscribe }), [status, error, subscribe]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

/** Calls `listener` with every live event of the open workspace. */
export function useLiveEvents(listener: Listener): void {
  const context = useContext(LiveContext);
  const latest = useRef(listener);
  useEffect(() => {
    latest.current = listener;
  });
  useEffect(() => context?.subscribe((event) => latest.current(event)), [context]);
}

export function useLiveStatus(): { status: LiveStatus; error: LiveErrorPayload | null } {
  const context = useContext(LiveContext);
  return { status: context?.status ?? 'stopped', error: context?.error ?? null };
}
