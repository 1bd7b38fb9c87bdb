import { AppError } from '@mission-control/errors';
import { z } from 'zod';

const idSchema = z.uuid();

/** Every id we hand out is a UUID; anything else cannot name a record. */
export const isId = (value: unknown): value is string => idSchema.safeParse(value).success;

/** The part of a framework's pipe contract this uses (NestJS passes the argument's name as `data`). */
export type ArgumentPipe = {
  transform(value: unknown, metadata: { data?: unknown }): unknown;
};

/** Throws a VALIDATION_ERROR naming the argument (`filters.agentId`…) unless it is an id. */
export function assertId(value: unknown, argument: string): asserts value is string {
  if (!isId(value)) {
    throw AppError.validation(`${argument}: must be a valid id (a UUID)`, {
      fields: [{ path: argument, message: 'must be a valid id (a UUID)' }],
    });
  }
}

/**
 * A pipe for GraphQL id arguments, `@Args('missionId', { type: () => ID }, validId)`: a malformed id
 * is a VALIDATION_ERROR naming the argument, the way commands name their fields, instead of a
 * lookup that cannot succeed. Null and absent (optional arguments) pass through.
 */
export const validId: ArgumentPipe = {
  transform(value, { data }) {
    if (value !== null && value !== undefined) {
      assertId(value, typeof data === 'string' ? data : 'id');
    }
    return value;
  },
};
