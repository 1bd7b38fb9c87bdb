import { ServiceRelay } from '@mission-control/eventing';

/** The mission event log, published to the event bus while the service runs (see EventSourcedServiceModule). */
export class MissionRelay extends ServiceRelay {}
