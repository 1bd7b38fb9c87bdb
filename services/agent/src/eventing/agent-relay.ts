import { ServiceRelay } from '@mission-control/eventing';

/** The agent event log, published to the event bus while the service runs (see EventSourcedServiceModule). */
export class AgentRelay extends ServiceRelay {}
