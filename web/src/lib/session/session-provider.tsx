'use client';

import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  createContext,
  type ReactNode,
  useCallback,
  useContext,
  useEffect,
  useState,
  useSyncExternalStore,
} from 'react';
import { SessionClient, type SessionState } from './session-client';

const SessionContext = createContext<SessionClient | null>(null);

export function SessionProvider({
  graphqlEndpoint,
  children,
}: {
  graphqlEndpoint: string;
  children: ReactNode;
}) {
  const [client] = useState(() => new SessionClient(graphqlEndpoint));
  useEffect(() => {
    void client.start();
  }, [client]);
  return <SessionContext.Provider value={client}>{children}</SessionContext.Provider>;
}

export function useSessionClient(): SessionClient {
  const client = useContext(SessionContext);
  if (!client) {
    throw new Error('useSessionClient needs a SessionProvider');
  }
  return client;
}

const STARTING: SessionState = { status: 'starting' };

export function useSession(): SessionState {
  const client = useSessionClient();
  return useSyncExternalStore(client.subscribe, client.getSnapshot, () => STARTING);
}

export type GraphQLRunner = <Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  signal?: AbortSignal,
) => Promise<Result>;

/** Runs operations as the signed-in person. */
export function useGraphQL(): GraphQLRunner {
  const client = useSessionClient();
  return useCallback<GraphQLRunner>(
    (document, variables, signal) => client.request(document, variables, signal),
    [client],
  );
}
