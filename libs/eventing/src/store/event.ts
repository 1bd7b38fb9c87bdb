import type { Actor } from '@mission-control/proto';

/** Who and what caused an append; stored with every event and carried on the wire. */
export type AppendContext = {
  workspaceId: string;
  actor: Actor;
  /** The request or workflow this change belongs to; defaults to the first event's id. */
  correlationId?: string;
  /** The event or command id that caused this change. */
  causationId?: string;
};

export type NewEvent = {
  /** The protobuf full name of the payload message, e.g. `mission.v1.MissionCreated`. */
  type: string;
  /** The payload, protobuf-encoded. */
  payload: Uint8Array;
  /** A caller-chosen id (uuidv7) makes the event id known before the append; one is made otherwise. */
  id?: string;
};

/** What is stored beside the payload; with the row's columns it forms the CloudEvents envelope. */
export type EventMetadata = {
  source: string;
  time: string;
  workspaceId: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
};

/** Where a reader is in the relay order: the writer's transaction id, then the position. */
export type Checkpoint = { transactionId: string; position: bigint };

export const START: Checkpoint = { transactionId: '0', position: 0n };

export type StoredEvent = {
  position: bigint;
  transactionId: string;
  id: string;
  streamId: string;
  version: number;
  type: string;
  payload: Buffer;
  metadata: EventMetadata;
  hash: Buffer;
  recordedAt: Date;
};

export const checkpointOf = (
  event: Pick<StoredEvent, 'transactionId' | 'position'>,
): Checkpoint => ({
  transactionId: event.transactionId,
  position: event.position,
});
