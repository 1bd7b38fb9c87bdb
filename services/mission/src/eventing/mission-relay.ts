import { ServiceRelay, type EventBusKind } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { missionEventStore } from './mission-event-store';

export type MissionRelayOptions = {
  databaseUrl: string;
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  topic: string;
};

/** The mission event log, published to the event bus while the service runs (see ServiceRelay). */
export class MissionRelay extends ServiceRelay {
  constructor(options: MissionRelayOptions) {
    super({ ...options, store: missionEventStore, logger: nestFieldsLogger(MissionRelay.name) });
  }
}
