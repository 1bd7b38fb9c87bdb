import { prismaUnitOfWork, ServiceConsumer, type EventBusKind } from '@mission-control/eventing';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';
import type { AgentRosterProjection } from './agent-roster.projection';

export type AgentRosterConsumerOptions = {
  bus: EventBusKind;
  brokers: string[];
  clientId: string;
  /** The agent service's event topic. */
  topic: string;
};

/** Keeps the mission service's roster of agents current from the agent service's events. */
export class AgentRosterConsumer extends ServiceConsumer<Tx> {
  constructor(
    options: AgentRosterConsumerOptions,
    prisma: PrismaService,
    projection: AgentRosterProjection,
  ) {
    super({
      // Named after what it reads: replicas share it; test runs with their own topics do not.
      name: `mission.${options.topic}`,
      topics: [options.topic],
      bus: options.bus,
      brokers: options.brokers,
      clientId: options.clientId,
      schema: DATABASE_SCHEMA,
      unitOfWork: prismaUnitOfWork(prisma),
      handle: (event, tx) => projection.apply(event, tx),
      logger: nestFieldsLogger(AgentRosterConsumer.name),
    });
  }
}
