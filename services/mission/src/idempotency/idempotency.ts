import { createHash } from 'node:crypto';
import { z } from 'zod';
import { validate } from '@mission-control/eventing';

/** How long a key answers again: a client retrying later than this is making a new request. */
export const IDEMPOTENCY_HOURS = 24;

const keySchema = z
  .string()
  .min(8, 'must be 8–200 characters (a UUID is a good key)')
  .max(200, 'must be 8–200 characters (a UUID is a good key)')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** The key as given, checked; null when the call has none. */
export function idempotencyKeyOf(value: string | null | undefined): string | null {
  if (value === null || value === undefined) {
    return null;
  }
  return validate(z.object({ idempotencyKey: keySchema }), { idempotencyKey: value })
    .idempotencyKey;
}

/** JSON with object keys in order: the same input always hashes the same. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(canonical);
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, field]) => field !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([name, field]) => [name, canonical(field)]),
    );
  }
  return value;
}

/** What identifies a request's input: two calls with one key must hash alike to be the same. */
export const requestHash = (operation: string, input: unknown): string =>
  createHash('sha256')
    .update(JSON.stringify([operation, canonical(input)]))
    .digest('base64url');
