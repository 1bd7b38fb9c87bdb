import { AppError } from '@mission-control/errors';

/**
 * How far a live client has read: for every topic partition the gateway consumed, the offset of
 * the last record dispatched before the client's last event (-1: none yet). Offsets are Kafka's, so any gateway
 * replica can resume a client another replica served (on the in-process bus: that bus's offsets,
 * under a partition number that stands for the process run). Opaque to clients (base64url JSON).
 */
export type LiveCursor = Map<string, bigint>;

const partitionKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export function cursorKey(topic: string, partition: number): string {
  return partitionKey(topic, partition);
}

export function encodeCursor(cursor: ReadonlyMap<string, bigint>): string {
  const byTopic: Record<string, Record<string, string>> = {};
  for (const [key, offset] of cursor) {
    const [topic, partition] = key.split('\u0000') as [string, string];
    (byTopic[topic] ??= {})[partition] = offset.toString();
  }
  return Buffer.from(JSON.stringify(byTopic)).toString('base64url');
}

export function decodeCursor(value: string): LiveCursor {
  const invalid = () =>
    AppError.validation('The live position is not one this gateway handed out', {
      field: 'after',
    });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid();
  }
  const cursor: LiveCursor = new Map();
  for (const [topic, partitions] of Object.entries(parsed)) {
    if (typeof partitions !== 'object' || partitions === null || Array.isArray(partitions)) {
      throw invalid();
    }
    for (const [partition, offset] of Object.entries(partitions as Record<string, unknown>)) {
      if (
        !/^\d{1,5}$/.test(partition) ||
        typeof offset !== 'string' ||
        !/^(-1|\d{1,19})$/.test(offset)
      ) {
        throw invalid();
      }
      cursor.set(partitionKey(topic, Number(partition)), BigInt(offset));
    }
  }
  return cursor;
}
