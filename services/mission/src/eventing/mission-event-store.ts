import { EventSourcedRunner } from '@mission-control/eventing';
import { serviceEventStore } from '@mission-control/eventing/nest';
import { DATABASE_SCHEMA, type PrismaService } from '../database/prisma.service';
import type { Prisma } from '../generated/prisma/client';

export type Tx = Prisma.TransactionClient;

/** The append-only log of this service's aggregates (schema "mission"), also its outbox. */
export const missionEventStore = serviceEventStore(DATABASE_SCHEMA);

/** Commands against this service's aggregates, each in one Prisma transaction (see EventSourcedServiceModule). */
export class AggregateRunner extends EventSourcedRunner<Tx | PrismaService> {}
