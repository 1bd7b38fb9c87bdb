import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { createPrismaAdapter, type DatabaseOptions } from '@mission-control/database';
import { PrismaClient } from '../generated/prisma/client';

/** The Postgres schema this service owns: its tables and its migration history live only here. */
export const DATABASE_SCHEMA = 'analytics';

/** This service's generated Prisma client, on a pg pool confined to schema "analytics". */
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(options: DatabaseOptions) {
    super({ adapter: createPrismaAdapter({ ...options, schema: DATABASE_SCHEMA }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
