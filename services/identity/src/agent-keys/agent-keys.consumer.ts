import { prismaUnitOfWork } from '@mission-control/eventing';
import {
  EventBusStrategy,
  topicConsumerOptions,
  type TopicSubscription,
} from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';

/** The agent service's event topic, and the bus it travels on. */
export type AgentKeysConsumerOptions = TopicSubscription;

/**
 * Reads the agent service's events for AgentKeysEventsController, keeping identity's copy of agent
 * keys current; started with `startEventHandlers(app)`.
 */
export class AgentKeysConsumer extends EventBusStrategy<Tx> {
  constructor(options: AgentKeysConsumerOptions, prisma: PrismaService) {
    super(
      topicConsumerOptions('identity', options, {
        schema: DATABASE_SCHEMA,
        unitOfWork: prismaUnitOfWork(prisma),
        logger: nestFieldsLogger(AgentKeysConsumer.name),
      }),
    );
  }
}
