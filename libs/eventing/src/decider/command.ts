import { AppError } from '@mission-control/errors';
import type { Actor } from '@mission-control/proto';
import { z } from 'zod';

export const actorSchema = z.object({
  kind: z.enum(['user', 'agent', 'system']),
  id: z.string().min(1),
});

/** A command as its handler receives it: named, validated, carrying who asks and for which tenant. */
export type Command<Type extends string, Data> = Readonly<{
  type: Type;
  workspaceId: string;
  actor: Actor;
  data: Readonly<Data>;
}>;

/** Throws VALIDATION_ERROR naming every bad field, the way an edge would. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw AppError.validation(
      result.error.issues
        .map((issue) => `${issue.path.map(String).join('.') || 'input'}: ${issue.message}`)
        .join('; '),
      {
        fields: result.error.issues.map((issue) => ({
          path: issue.path.map(String).join('.'),
          message: issue.message,
        })),
      },
    );
  }
  return result.data;
}

/**
 * Declares a command: the returned function is its only constructor and refuses invalid input, so
 * a command that exists is a valid one.
 */
export function defineCommand<Type extends string, S extends z.ZodType>(type: Type, data: S) {
  const schema = z.object({ workspaceId: z.string().min(1), actor: actorSchema, data });
  return (input: {
    workspaceId: string;
    actor: Actor;
    data: z.input<S>;
  }): Command<Type, z.output<S>> => {
    const parsed = validate(schema, input) as {
      workspaceId: string;
      actor: Actor;
      data: z.output<S>;
    };
    return Object.freeze({ type, ...parsed });
  };
}
