import { AppError } from '@mission-control/errors';
import type { HostPageCursor } from './hosts.repository';

export const MAX_HOSTS_PAGE = 100;

/** An opaque cursor: the last host's hostname and id. */
export const encodeHostCursor = (host: HostPageCursor): string =>
  Buffer.from(JSON.stringify([host.hostname, host.id])).toString('base64url');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeHostCursor(cursor: string): HostPageCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      typeof parsed[0] === 'string' &&
      typeof parsed[1] === 'string' &&
      UUID.test(parsed[1])
    ) {
      return { hostname: parsed[0], id: parsed[1] };
    }
  } catch {
    // Reported below, as any other bad cursor.
  }
  throw AppError.validation('after is not a cursor of this list', {
    fields: [{ path: 'after', message: 'is not a cursor of this list' }],
  });
}
