import { z } from 'zod';
import { defineCommand, singleLineText } from '@mission-control/eventing';
import { PERMISSION_VALUES, ROLE_VALUES } from '../common/roles';
import { emailSchema } from '../users/user.commands';

const role = z.enum(ROLE_VALUES);
const timestamp = z.iso.datetime();

export const createWorkspace = defineCommand(
  'CreateWorkspace',
  z.object({
    name: singleLineText(z.string().trim().min(1, 'must not be empty').max(100)),
    slug: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and -'),
  }),
);

export const inviteMember = defineCommand(
  'InviteMember',
  z.object({
    invitationId: z.uuid(),
    email: emailSchema,
    role,
    expiresAt: timestamp,
  }),
);

export const acceptInvitation = defineCommand(
  'AcceptInvitation',
  z.object({
    invitationId: z.uuid(),
    userId: z.uuid(),
    /** The accepting user's email: an invitation is for one address. */
    email: emailSchema,
    now: timestamp,
  }),
);

export const changeMemberRole = defineCommand(
  'ChangeMemberRole',
  z.object({ userId: z.uuid(), role }),
);

export const removeMember = defineCommand('RemoveMember', z.object({ userId: z.uuid() }));

export const issueApiKey = defineCommand(
  'IssueApiKey',
  z.object({
    apiKeyId: z.uuid(),
    name: singleLineText(z.string().trim().min(1, 'must not be empty').max(100)),
    prefix: z.string().regex(/^[a-z0-9]{8,32}$/),
    scopes: z.array(z.enum(PERMISSION_VALUES)).min(1, 'at least one scope'),
  }),
);

export const revokeApiKey = defineCommand('RevokeApiKey', z.object({ apiKeyId: z.uuid() }));

export const renameWorkspace = defineCommand(
  'RenameWorkspace',
  z.object({ name: singleLineText(z.string().trim().min(1, 'must not be empty').max(100)) }),
);

export const revokeInvitation = defineCommand(
  'RevokeInvitation',
  z.object({ invitationId: z.uuid() }),
);

export type CreateWorkspace = ReturnType<typeof createWorkspace>;
export type InviteMember = ReturnType<typeof inviteMember>;
export type AcceptInvitation = ReturnType<typeof acceptInvitation>;
export type ChangeMemberRole = ReturnType<typeof changeMemberRole>;
export type RemoveMember = ReturnType<typeof removeMember>;
export type IssueApiKey = ReturnType<typeof issueApiKey>;
export type RevokeApiKey = ReturnType<typeof revokeApiKey>;
export type RenameWorkspace = ReturnType<typeof renameWorkspace>;
export type RevokeInvitation = ReturnType<typeof revokeInvitation>;

export type WorkspaceCommand =
  | CreateWorkspace
  | InviteMember
  | AcceptInvitation
  | ChangeMemberRole
  | RemoveMember
  | IssueApiKey
  | RevokeApiKey
  | RenameWorkspace
  | RevokeInvitation;
