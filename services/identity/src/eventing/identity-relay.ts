import { ServiceRelay } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { identityEventStore } from './identity-event-store';

export type IdentityRelayOptions = {
  databaseUrl: string;
  brokers: string[];
  clientId: string;
  topic: string;
};

/** The identity event log, published to Kafka while the service runs (see ServiceRelay). */
export class IdentityRelay extends ServiceRelay {
  constructor(options: IdentityRelayOptions) {
    super({ ...options, store: identityEventStore, logger: nestFieldsLogger(IdentityRelay.name) });
  }
}
