import { z } from 'zod';
import { defineCommand } from '@mission-control/eventing';

/** Workspace id of events about a user: a user exists before and across workspaces. */
export const NO_WORKSPACE = 'none';

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'must be an email address' }).max(254));

export const signUpUser = defineCommand(
  'SignUpUser',
  z.object({
    userId: z.uuid(),
    email: emailSchema,
    name: z.string().trim().min(1, 'must not be empty').max(200),
  }),
);
export type SignUpUser = ReturnType<typeof signUpUser>;

export type UserCommand = SignUpUser;
