import { Injectable } from '@nestjs/common';
import { EventSourcedRunner, EventStore, prismaQueryable } from '@mission-control/eventing';
import { eventSource } from '@mission-control/proto';
import { PrismaService, DATABASE_SCHEMA } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

/** The append-only log of this service's aggregates (schema "identity"), also its outbox. */
export const identityEventStore = new EventStore({
  schema: DATABASE_SCHEMA,
  source: eventSource('identity'),
});

/** Commands against this service's aggregates, each in one Prisma transaction (see EventSourcedRunner). */
@Injectable()
export class AggregateRunner extends EventSourcedRunner<Tx | PrismaService> {
  constructor(prisma: PrismaService) {
    super({
      store: identityEventStore,
      transaction: (work) => prisma.$transaction(work),
      queryable: prismaQueryable,
      recordName: 'Record',
    });
  }
}
