import { ServiceRelay } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { agentEventStore } from './agent-event-store';

export type AgentRelayOptions = {
  databaseUrl: string;
  brokers: string[];
  clientId: string;
  topic: string;
};

/** The agent event log, published to Kafka while the service runs (see ServiceRelay). */
export class AgentRelay extends ServiceRelay {
  constructor(options: AgentRelayOptions) {
    super({ ...options, store: agentEventStore, logger: nestFieldsLogger(AgentRelay.name) });
  }
}
