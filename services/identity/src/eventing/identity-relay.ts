import { ServiceRelay, type EventBusKind } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { identityEventStore } from './identity-event-store';

export type IdentityRelayOptions = {
  databaseUrl: string;
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  topic: string;
};

/** The identity event log, published to the event bus while the service runs (see ServiceRelay). */
export class IdentityRelay extends ServiceRelay {
  constructor(options: IdentityRelayOptions) {
    super({ ...options, store: identityEventStore, logger: nestFieldsLogger(IdentityRelay.name) });
  }
}
