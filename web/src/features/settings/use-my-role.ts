'use client';

import { useQuery } from '@tanstack/react-query';
import { MeDocument, type Role } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { roleIn } from './settings-model';

/** The signed-in person and their role in the workspace (undefined while loading). */
export function useMyRole(workspaceId: string): {
  role: Role | null | undefined;
  userId: string | undefined;
  workspaceName: string | undefined;
} {
  const gql = useGraphQL();
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => gql(MeDocument, {}, signal) });
  const memberships = me.data?.me.memberships;
  return {
    role: memberships ? roleIn(memberships, workspaceId) : undefined,
    userId: me.data?.me.id,
    workspaceName: memberships?.find((m) => m.workspace.id === workspaceId)?.workspace.name,
  };
}
