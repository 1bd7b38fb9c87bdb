import type { EventEnvelope } from '@mission-control/proto';

/** What a projection takes from an event's envelope. */
export type EventMeta = {
  time: Date;
  /** The event's 1-based position in its stream. */
  version: number;
  workspaceId: string;
};

export const metaOf = (envelope: EventEnvelope): EventMeta => ({
  time: new Date(envelope.time),
  version: envelope.streamVersion,
  workspaceId: envelope.workspaceId,
});

/** An event at or below the stream version a state already reflects: applied before. */
export const ALREADY_APPLIED = 'already_applied' as const;
