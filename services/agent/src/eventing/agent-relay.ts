import { ServiceRelay, type EventBusKind } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { agentEventStore } from './agent-event-store';

export type AgentRelayOptions = {
  databaseUrl: string;
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  topic: string;
};

/** The agent event log, published to the event bus while the service runs (see ServiceRelay). */
export class AgentRelay extends ServiceRelay {
  constructor(options: AgentRelayOptions) {
    super({ ...options, store: agentEventStore, logger: nestFieldsLogger(AgentRelay.name) });
  }
}
