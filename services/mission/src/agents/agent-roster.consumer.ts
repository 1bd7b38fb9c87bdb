import { prismaUnitOfWork } from '@mission-control/eventing';
import {
  EventBusStrategy,
  topicConsumerOptions,
  type TopicSubscription,
} from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';

/** The agent service's event topic, and the bus it travels on. */
export type AgentRosterConsumerOptions = TopicSubscription;

/**
 * Reads the agent service's events for AgentRosterEventsController, keeping the mission service's
 * roster of agents current; started with `startEventHandlers(app)`.
 */
export class AgentRosterConsumer extends EventBusStrategy<Tx> {
  constructor(options: AgentRosterConsumerOptions, prisma: PrismaService) {
    super(
      topicConsumerOptions('mission', options, {
        schema: DATABASE_SCHEMA,
        unitOfWork: prismaUnitOfWork(prisma),
        logger: nestFieldsLogger(AgentRosterConsumer.name),
      }),
    );
  }
}
