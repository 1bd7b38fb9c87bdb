import { createHash } from 'node:crypto';
import type { EventMetadata } from './event';

/** The `previous hash` of a stream's first event. */
export const GENESIS_HASH = Buffer.alloc(32);

type Hashable = {
  id: string;
  streamId: string;
  version: number;
  type: string;
  payload: Uint8Array;
  metadata: EventMetadata;
};

/**
 * sha256(previous hash ‖ event), with every field length-prefixed so no two different events can
 * encode the same, and metadata as JSON with sorted keys so the jsonb round trip does not matter.
 */
export function chainHash(
  previous: Uint8Array,
  event: Hashable,
  // Events appended together share their metadata: callers may encode it once.
  metadataJson = canonicalJson(event.metadata),
): Buffer {
  const hash = createHash('sha256').update(previous);
  for (const field of [
    event.id,
    event.streamId,
    String(event.version),
    event.type,
    Buffer.from(event.payload),
    metadataJson,
  ]) {
    const bytes = typeof field === 'string' ? Buffer.from(field, 'utf8') : field;
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    hash.update(length).update(bytes);
  }
  return hash.digest();
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
