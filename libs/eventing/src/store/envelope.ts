import type { EventEnvelope } from '@mission-control/proto';
import type { StoredEvent } from './event';

/** The CloudEvents envelope of a stored event, as it travels on the bus. */
export function envelopeOf(
  event: Pick<StoredEvent, 'id' | 'type' | 'streamId' | 'version' | 'metadata'>,
): EventEnvelope {
  return {
    specversion: '1.0',
    id: event.id,
    type: event.type,
    source: event.metadata.source,
    subject: event.streamId,
    time: event.metadata.time,
    datacontenttype: 'application/protobuf',
    workspaceId: event.metadata.workspaceId,
    actor: event.metadata.actor,
    correlationId: event.metadata.correlationId,
    causationId: event.metadata.causationId,
    streamVersion: event.version,
  };
}
