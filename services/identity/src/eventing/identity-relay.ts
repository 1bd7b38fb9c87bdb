import { ServiceRelay } from '@mission-control/eventing';

/** The identity event log, published to the event bus while the service runs (see EventSourcedServiceModule). */
export class IdentityRelay extends ServiceRelay {}
