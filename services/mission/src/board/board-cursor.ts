import { AppError } from '@mission-control/errors';
import { isId } from '@mission-control/eventing';

/** Where a mission stands in its column: rank order (byte-wise), the id breaking ties. */
export type BoardPosition = { rank: string; id: string };

// A fractional index is base-62 digits; anything else was not made by this service.
const RANK = /^[0-9A-Za-z]+$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
// Far above any real rank, low enough that a junk string is refused before it is parsed.
const MAX_CURSOR_LENGTH = 2048;

/**
 * An opaque cursor for the position after which the next page of a column starts. Clients pass it
 * back unchanged; its content may change, so it is not documented.
 */
export function encodeCursor(position: BoardPosition): string {
  return Buffer.from(JSON.stringify([position.rank, position.id])).toString('base64url');
}

/** The position a cursor stands for; a VALIDATION_ERROR naming `argument` for anything else. */
export function decodeCursor(cursor: string, argument: string): BoardPosition {
  const position = positionOf(cursor);
  if (!position) {
    throw AppError.validation(`${argument}: not a cursor this board gave out`, {
      fields: [{ path: argument, message: 'not a cursor this board gave out' }],
    });
  }
  return position;
}

function positionOf(cursor: string): BoardPosition | null {
  if (cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) {
    return null;
  }
  const [rank, id] = parsed as unknown[];
  if (typeof rank !== 'string' || !RANK.test(rank) || !isId(id)) {
    return null;
  }
  return { rank, id };
}
