import { PrismaService } from '../src/database/prisma.service';
import { PostgresSearchIndex } from '../src/search/postgres-search-index';
import { analyticsTestConfig, specStreams } from './analytics-test-kit';
import { describeSearchIndexContract } from './search-index.contract';

describeSearchIndexContract('Postgres full-text', async () => {
  const config = analyticsTestConfig(specStreams('search-contract'));
  // The run's own database, migrated by the global setup.
  const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
  await prisma.onModuleInit();
  return { index: new PostgresSearchIndex(prisma), close: () => prisma.onModuleDestroy() };
});
