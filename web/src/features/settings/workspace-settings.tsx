'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { RenameWorkspaceDocument } from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ErrorNotice } from '../../ui/error-notice';
import { ROLE_NAMES } from './settings-model';
import styles from './settings.module.css';
import { useMyRole } from './use-my-role';
import { WorkPolicySettings } from './work-policy-settings';

export function WorkspaceSettings({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const { role, workspaceName } = useMyRole(workspaceId);
  const [name, setName] = useState('');
  useEffect(() => {
    if (workspaceName !== undefined) {
      setName(workspaceName);
    }
  }, [workspaceName]);
  const rename = useMutation({
    mutationFn: (next: string) => gql(RenameWorkspaceDocument, { workspaceId, name: next }),
    onSuccess: async ({ renameWorkspace }) => {
      announce(`Workspace renamed to ${renameWorkspace.name}`);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate(name.trim());
  }

  if (role === undefined) {
    return <p aria-busy="true">Loading…</p>;
  }
  return (
    <>
      <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
        <h2 id={`${id}-title`}>Workspace</h2>
        {role === 'ADMIN' ? (
          <form onSubmit={submit} className={styles.formNarrow}>
            {rename.isError && <ErrorNotice error={rename.error} />}
            {rename.isSuccess && (
              <p className="notice notice-ok" role="status">
                Renamed to {rename.data.renameWorkspace.name}.
              </p>
            )}
            <div className="field">
              <label htmlFor={`${id}-name`}>Workspace name</label>
              <input
                id={`${id}-name`}
                value={name}
                onChange={(event) => setName(event.target.value)}
                required
                maxLength={100}
              />
              <p className="hint">Its address stays the same.</p>
            </div>
            <div>
              <button
                type="submit"
                className="button button-primary"
                disabled={rename.isPending || name.trim() === workspaceName}
              >
                {rename.isPending ? 'Saving…' : 'Rename workspace'}
              </button>
            </div>
          </form>
        ) : (
          <>
            <p>
              <strong>{workspaceName}</strong>
            </p>
            <p className="muted">
              Your role here: {role ? ROLE_NAMES[role] : 'none'}. Only admins can rename the
              workspace.
            </p>
          </>
        )}
      </section>
      <WorkPolicySettings workspaceId={workspaceId} isAdmin={role === 'ADMIN'} />
    </>
  );
}
