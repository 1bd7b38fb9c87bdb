import { chainHash } from '@mission-control/eventing';
import { describeServiceSchema } from '@mission-control/testing';
import { PrismaService } from '../src/database/prisma.service';

describeServiceSchema(
  'analytics',
  (databaseUrl) => new PrismaService({ databaseUrl, poolSize: 2 }),
  chainHash,
);
