import { prismaUnitOfWork, ServiceConsumer, type EventBusKind } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';
import type { AgentKeysProjection } from './agent-keys.projection';

export type AgentKeysConsumerOptions = {
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  /** The agent service's event topic. */
  topic: string;
};

/** Keeps identity's copy of agent keys current from the agent service's events. */
export class AgentKeysConsumer extends ServiceConsumer<Tx> {
  constructor(
    options: AgentKeysConsumerOptions,
    prisma: PrismaService,
    projection: AgentKeysProjection,
  ) {
    super({
      // Named after what it reads: replicas share it; test runs with their own topics do not.
      name: `identity.${options.topic}`,
      topics: [options.topic],
      bus: options.bus,
      brokers: options.brokers,
      clientId: options.clientId,
      schema: DATABASE_SCHEMA,
      unitOfWork: prismaUnitOfWork(prisma),
      handle: (event, tx) => projection.apply(event, tx),
      logger: nestFieldsLogger(AgentKeysConsumer.name),
    });
  }
}
