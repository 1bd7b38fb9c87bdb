import { prismaUnitOfWork, type EventBusKind } from '@mission-control/eventing';
import { EventBusStrategy } from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';

export type AgentKeysConsumerOptions = {
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  /** The agent service's event topic. */
  topic: string;
};

/**
 * Reads the agent service's events for AgentKeysEventsController, keeping identity's copy of agent
 * keys current; started with `startEventHandlers(app)`.
 */
export class AgentKeysConsumer extends EventBusStrategy<Tx> {
  constructor(options: AgentKeysConsumerOptions, prisma: PrismaService) {
    super({
      // Named after what it reads: replicas share it; test runs with their own topics do not.
      name: `identity.${options.topic}`,
      topics: [options.topic],
      bus: options.bus,
      brokers: options.brokers,
      clientId: options.clientId,
      schema: DATABASE_SCHEMA,
      unitOfWork: prismaUnitOfWork(prisma),
      logger: nestFieldsLogger(AgentKeysConsumer.name),
    });
  }
}
