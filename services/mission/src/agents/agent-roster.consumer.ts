import { prismaUnitOfWork, type EventBusKind } from '@mission-control/eventing';
import { EventBusStrategy } from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';

export type AgentRosterConsumerOptions = {
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  /** The agent service's event topic. */
  topic: string;
};

/**
 * Reads the agent service's events for AgentRosterEventsController, keeping the mission service's
 * roster of agents current; started with `startEventHandlers(app)`.
 */
export class AgentRosterConsumer extends EventBusStrategy<Tx> {
  constructor(options: AgentRosterConsumerOptions, prisma: PrismaService) {
    super({
      // Named after what it reads: replicas share it; test runs with their own topics do not.
      name: `mission.${options.topic}`,
      topics: [options.topic],
      bus: options.bus,
      brokers: options.brokers,
      clientId: options.clientId,
      schema: DATABASE_SCHEMA,
      unitOfWork: prismaUnitOfWork(prisma),
      logger: nestFieldsLogger(AgentRosterConsumer.name),
    });
  }
}
