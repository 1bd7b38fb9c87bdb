'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useRef } from 'react';
import { MeDocument, type MeQuery } from '../../graphql/generated';
import { ApiError } from '../../lib/api/api-error';
import { flashNotice } from '../../lib/notice/flash-notice';
import { useGraphQL, useSessionClient } from '../../lib/session/session-provider';
import { roleIn } from '../settings/settings-model';

/**
 * Re-reads the person's access after a sign that it changed (the gateway's `access_revoked`, or an
 * UNAUTHENTICATED/FORBIDDEN answer): a fresh token, then their memberships. Someone no longer in
 * the workspace leaves for /workspaces with a notice; a demoted one sees every view reloaded.
 */
export function useAccessCheck(workspaceId: string): () => void {
  const client = useSessionClient();
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const router = useRouter();
  const running = useRef(false);
  const leaving = useRef(false);

  const check = useCallback(() => {
    if (running.current || leaving.current) {
      return;
    }
    running.current = true;
    const known = queryClient.getQueryData<MeQuery>(['me']);
    const name = known?.me.memberships.find((m) => m.workspace.id === workspaceId)?.workspace.name;
    void (async () => {
      try {
        await client.refresh();
        const me = await queryClient.fetchQuery({
          queryKey: ['me'],
          queryFn: ({ signal }) => gql(MeDocument, {}, signal),
          staleTime: 0,
        });
        if (roleIn(me.me.memberships, workspaceId) === null) {
          leaving.current = true;
          flashNotice(`You no longer have access to ${name ?? 'that workspace'}.`);
          router.replace('/workspaces');
          return;
        }
        await queryClient.invalidateQueries();
      } catch {
        // No session any more: the shell sends the person to log in.
      } finally {
        running.current = false;
      }
    })();
  }, [client, gql, queryClient, router, workspaceId]);

  // Any query or mutation refused for want of access may mean access was taken away.
  useEffect(() => {
    const onError = (error: unknown) => {
      if (
        error instanceof ApiError &&
        (error.code === 'FORBIDDEN' || error.code === 'UNAUTHENTICATED')
      ) {
        check();
      }
    };
    const queries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') {
        onError(event.action.error);
      }
    });
    const mutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') {
        onError(event.action.error);
      }
    });
    return () => {
      queries();
      mutations();
    };
  }, [queryClient, check]);

  return check;
}
