import { PrismaService } from '../src/database/prisma.service';
import { PostgresMetricsStore } from '../src/metrics/postgres-metrics-store';
import { analyticsTestConfig, specStreams } from './analytics-test-kit';
import { describeMetricsStoreContract } from './metrics-store.contract';

describeMetricsStoreContract('Postgres', async () => {
  const config = analyticsTestConfig(specStreams('metrics-contract'));
  // The run's own database, migrated by the global setup.
  const prisma = new PrismaService({ databaseUrl: config.DATABASE_URL, poolSize: 2 });
  await prisma.onModuleInit();
  return { store: new PostgresMetricsStore(prisma), close: () => prisma.onModuleDestroy() };
});
