import { AppError } from '@mission-control/errors';
import { isId } from '@mission-control/eventing';
import type { RunPosition } from './runs.repository';

const BASE64URL = /^[A-Za-z0-9_-]{1,512}$/;

/** An opaque cursor for the run after which the next page starts (newest first). */
export function encodeRunCursor(position: RunPosition): string {
  return Buffer.from(JSON.stringify([position.startedAt.toISOString(), position.id])).toString(
    'base64url',
  );
}

/** The position a cursor stands for; a VALIDATION_ERROR naming `after` for anything else. */
export function decodeRunCursor(cursor: string): RunPosition {
  const position = BASE64URL.test(cursor) ? positionOf(cursor) : null;
  if (!position) {
    throw AppError.validation('after: not a cursor a list of runs gave out', {
      fields: [{ path: 'after', message: 'not a cursor a list of runs gave out' }],
    });
  }
  return position;
}

function positionOf(cursor: string): RunPosition | null {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) {
      return null;
    }
    const [time, id] = parsed as unknown[];
    const startedAt = typeof time === 'string' ? new Date(time) : null;
    return startedAt && !Number.isNaN(startedAt.getTime()) && isId(id) ? { startedAt, id } : null;
  } catch {
    return null;
  }
}
