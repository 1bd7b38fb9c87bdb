import { z } from 'zod';
import { defineCommand, singleLineText } from '@mission-control/eventing';

/** Workspace id of events about a user: a user exists before and across workspaces. */
export const NO_WORKSPACE = 'none';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));

export const passwordSchema = z
  .string()
  .min(10, 'must be at least 10 characters')
  .max(256, 'must be at most 256 characters');

export const signUpUser = defineCommand(
  'SignUpUser',
  z.object({
    userId: z.uuid(),
    email: emailSchema,
    name: singleLineText(z.string().trim().min(1, 'must not be empty').max(200)),
  }),
);
export type SignUpUser = ReturnType<typeof signUpUser>;

export const SESSION_END_REASONS = [
  'logged_out',
  'revoked',
  'signed_out_everywhere',
  'password_changed',
  'refresh_token_reused',
] as const;
export type SessionEndReason = (typeof SESSION_END_REASONS)[number];

/** Ends sessions of the user (refresh-token families); their access tokens stop working too. */
export const endSessions = defineCommand(
  'EndSessions',
  z.object({
    userId: z.uuid(),
    sessionIds: z.array(z.uuid()),
    reason: z.enum(SESSION_END_REASONS),
  }),
);
export type EndSessions = ReturnType<typeof endSessions>;

/** Records a new password; the sessions it signs out are named, each gets a SessionEnded. */
export const changePassword = defineCommand(
  'ChangePassword',
  z.object({ userId: z.uuid(), endedSessionIds: z.array(z.uuid()) }),
);
export type ChangePassword = ReturnType<typeof changePassword>;

export type UserCommand = SignUpUser | EndSessions | ChangePassword;
