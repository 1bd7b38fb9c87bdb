'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { AcceptInvitationDocument, MeDocument } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useRequireSession } from '../../lib/session/use-require-session';
import { ErrorNotice } from '../../ui/error-notice';
import { ROLE_NAMES } from './settings-model';

/** Where an invitation link lands: sign in (or up) as the invited email, then join. */
export function AcceptInvitation({ token }: { token: string }) {
  const session = useRequireSession();
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const router = useRouter();
  const signedIn = session.status === 'authenticated';
  const me = useQuery({
    queryKey: ['me'],
    queryFn: ({ signal }) => gql(MeDocument, {}, signal),
    enabled: signedIn,
  });
  const accept = useMutation({
    mutationFn: () => gql(AcceptInvitationDocument, { token }),
    onSuccess: async ({ acceptInvitation }) => {
      await queryClient.invalidateQueries({ queryKey: ['me'] });
      router.push(`/w/${acceptInvitation.workspace.id}/board`);
    },
  });

  if (!signedIn) {
    return (
      <main id="main" className="page">
        <p aria-busy="true">Loading…</p>
      </main>
    );
  }
  return (
    <main id="main" className="page">
      <h1>Join a workspace</h1>
      <section className="panel stack">
        <p>
          You were invited to a workspace on Mission Control.
          {me.data && (
            <>
              {' '}
              You are signed in as <strong>{me.data.me.email}</strong>; the invitation must have
              been sent to this address.
            </>
          )}
        </p>
        {accept.isError && <ErrorNotice error={accept.error} />}
        {accept.isSuccess && (
          <p className="notice notice-ok" role="status">
            You joined {accept.data.acceptInvitation.workspace.name} as{' '}
            {ROLE_NAMES[accept.data.acceptInvitation.role]}.
          </p>
        )}
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            disabled={accept.isPending || accept.isSuccess}
            onClick={() => accept.mutate()}
          >
            {accept.isPending ? 'Joining…' : 'Accept invitation'}
          </button>
          <Link href="/workspaces" className="button">
            Not now
          </Link>
        </div>
      </section>
    </main>
  );
}
