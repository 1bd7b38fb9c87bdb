'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  ChangeMemberRoleDocument,
  InvitationsDocument,
  InviteMemberDocument,
  RemoveMemberDocument,
  RevokeInvitationDocument,
  type Role,
  SettingsMembersDocument,
} from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { useAnnounce } from '../../ui/announcer';
import { ConfirmButton } from '../../ui/confirm-button';
import { CopyField } from '../../ui/copy-field';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { formatDateTime, invitationLink, ROLE_NAMES, ROLES } from './settings-model';
import styles from './settings.module.css';
import { useMyRole } from './use-my-role';

export function MembersSettings({ workspaceId }: { workspaceId: string }) {
  const { role, userId } = useMyRole(workspaceId);
  const isAdmin = role === 'ADMIN';
  if (role === undefined) {
    return <p aria-busy="true">Loading…</p>;
  }
  return (
    <>
      {isAdmin && <InviteSection workspaceId={workspaceId} />}
      <MemberList workspaceId={workspaceId} isAdmin={isAdmin} myUserId={userId} />
      {isAdmin && <InvitationList workspaceId={workspaceId} />}
    </>
  );
}

function InviteSection({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('MISSION_COMMANDER');
  const invite = useMutation({
    mutationFn: () => gql(InviteMemberDocument, { workspaceId, email: email.trim(), role }),
    onSuccess: async ({ inviteMember }) => {
      setEmail('');
      announce(`Invitation created for ${inviteMember.invitation.email}`);
      await queryClient.invalidateQueries({ queryKey: ['invitations', workspaceId] });
    },
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    invite.mutate();
  }

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>Invite someone</h2>
      <form onSubmit={submit} className={styles.form}>
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input
            id={`${id}-email`}
            type="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            required
            autoComplete="off"
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select
            id={`${id}-role`}
            value={role}
            onChange={(event) => setRole(event.target.value as Role)}
          >
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {ROLE_NAMES[value]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" className="button button-primary" disabled={invite.isPending}>
            {invite.isPending ? 'Inviting…' : 'Invite'}
          </button>
        </div>
      </form>
      {invite.isError && <ErrorNotice error={invite.error} />}
      {invite.isSuccess && (
        <div className="notice notice-info">
          <CopyField
            label={`Invitation link for ${invite.data.inviteMember.invitation.email}`}
            value={invitationLink(window.location.origin, invite.data.inviteMember.token)}
            hint="Send it to them: it is shown only now. They sign in with that email and accept."
          />
        </div>
      )}
    </section>
  );
}

function MemberList({
  workspaceId,
  isAdmin,
  myUserId,
}: {
  workspaceId: string;
  isAdmin: boolean;
  myUserId: string | undefined;
}) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const members = useQuery({
    queryKey: ['members', workspaceId],
    queryFn: ({ signal }) => gql(SettingsMembersDocument, { workspaceId }, signal),
  });
  const changeRole = useMutation({
    mutationFn: (input: { userId: string; role: Role; name: string }) =>
      gql(ChangeMemberRoleDocument, { workspaceId, userId: input.userId, role: input.role }),
    onSuccess: async (_, input) => {
      announce(`${input.name} is now ${ROLE_NAMES[input.role]}`);
      await queryClient.invalidateQueries({ queryKey: ['members', workspaceId] });
    },
  });
  const remove = useMutation({
    mutationFn: (input: { userId: string; name: string }) =>
      gql(RemoveMemberDocument, { workspaceId, userId: input.userId }),
    onSuccess: async (_, input) => {
      announce(`${input.name} was removed from the workspace`);
      await queryClient.invalidateQueries({ queryKey: ['members', workspaceId] });
    },
  });
  const list = members.data?.members ?? [];

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>Members</h2>
      {!isAdmin && <p className="muted">Only admins can invite, change roles or remove members.</p>}
      {members.isPending && <p aria-busy="true">Loading members…</p>}
      {members.isError && <ErrorNotice error={members.error} />}
      {changeRole.isError && <ErrorNotice error={changeRole.error} />}
      {remove.isError && <ErrorNotice error={remove.error} />}
      {members.isSuccess && list.length === 0 && <EmptyState>No members.</EmptyState>}
      {list.length > 0 && (
        <ul className={styles.rows} aria-label="Members">
          {list.map((member) => {
            const isMe = member.userId === myUserId;
            return (
              <li key={member.userId} className={styles.row} aria-label={member.name}>
                <div className={styles.who}>
                  <strong>
                    {member.name} {isMe && <span className="tag">You</span>}
                  </strong>
                  <span className={styles.detail}>{member.email}</span>
                  <span className={styles.detail}>Joined {formatDateTime(member.joinedAt)}</span>
                </div>
                <div className={styles.controls}>
                  {isAdmin && !isMe ? (
                    <>
                      <label htmlFor={`${id}-${member.userId}`} className="visually-hidden">
                        Role of {member.name}
                      </label>
                      <select
                        id={`${id}-${member.userId}`}
                        value={member.role}
                        disabled={changeRole.isPending}
                        onChange={(event) =>
                          changeRole.mutate({
                            userId: member.userId,
                            role: event.target.value as Role,
                            name: member.name,
                          })
                        }
                      >
                        {ROLES.map((value) => (
                          <option key={value} value={value}>
                            {ROLE_NAMES[value]}
                          </option>
                        ))}
                      </select>
                      <ConfirmButton
                        label="Remove"
                        question={`Remove ${member.name}?`}
                        confirmLabel="Yes, remove"
                        pending={remove.isPending && remove.variables.userId === member.userId}
                        onConfirm={() =>
                          remove.mutate({ userId: member.userId, name: member.name })
                        }
                      />
                    </>
                  ) : (
                    <span className="badge">{ROLE_NAMES[member.role]}</span>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function InvitationList({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const queryClient = useQueryClient();
  const announce = useAnnounce();
  const id = useId();
  const invitations = useQuery({
    queryKey: ['invitations', workspaceId],
    queryFn: ({ signal }) => gql(InvitationsDocument, { workspaceId }, signal),
  });
  const revoke = useMutation({
    mutationFn: (input: { invitationId: string; email: string }) =>
      gql(RevokeInvitationDocument, { workspaceId, invitationId: input.invitationId }),
    onSuccess: async (_, input) => {
      announce(`Invitation for ${input.email} cancelled`);
      await queryClient.invalidateQueries({ queryKey: ['invitations', workspaceId] });
    },
  });
  const list = invitations.data?.invitations ?? [];

  return (
    <section aria-labelledby={`${id}-title`} className={`panel ${styles.section}`}>
      <h2 id={`${id}-title`}>Pending invitations</h2>
      {invitations.isPending && <p aria-busy="true">Loading invitations…</p>}
      {invitations.isError && <ErrorNotice error={invitations.error} />}
      {revoke.isError && <ErrorNotice error={revoke.error} />}
      {invitations.isSuccess && list.length === 0 && (
        <EmptyState>No pending invitations.</EmptyState>
      )}
      {list.length > 0 && (
        <ul className={styles.rows} aria-label="Pending invitations">
          {list.map((invitation) => (
            <li key={invitation.id} className={styles.row} aria-label={invitation.email}>
              <div className={styles.who}>
                <strong>{invitation.email}</strong>
                <span className={styles.detail}>
                  {ROLE_NAMES[invitation.role]} · expires {formatDateTime(invitation.expiresAt)}
                </span>
              </div>
              <div className={styles.controls}>
                <ConfirmButton
                  label="Cancel invitation"
                  question={`Cancel the invitation for ${invitation.email}?`}
                  confirmLabel="Yes, cancel it"
                  pending={revoke.isPending && revoke.variables.invitationId === invitation.id}
                  onConfirm={() =>
                    revoke.mutate({ invitationId: invitation.id, email: invitation.email })
                  }
                />
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
