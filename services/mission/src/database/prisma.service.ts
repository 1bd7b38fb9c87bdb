import { servicePrismaClient } from '@mission-control/database';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema this service owns: its tables and its migration history live only here. */
export const DATABASE_SCHEMA = 'mission';

/** This service's generated Prisma client, on a pg pool confined to schema "mission". */
export class PrismaService extends servicePrismaClient(PrismaClient, DATABASE_SCHEMA) {}
