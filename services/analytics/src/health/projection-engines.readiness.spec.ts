import { loadConfig } from '@mission-control/config';
import { projectionsConfigSchema } from '../analytics.config';
import type { PrismaService } from '../database/prisma.service';
import { projectionEngineChecks } from './projection-engines.readiness';

const prisma = {} as PrismaService;
const checkNames = (env: Record<string, string>) =>
  projectionEngineChecks(loadConfig(projectionsConfigSchema, env), prisma).map(
    (check) => check.name,
  );

describe('projectionEngineChecks', () => {
  it('checks Kafka, Postgres, Elasticsearch and InfluxDB by default', () => {
    expect(checkNames({})).toEqual(['kafka', 'postgres', 'elasticsearch', 'influxdb']);
  });

  it('checks only Postgres when everything else is Postgres or in this process', () => {
    expect(
      checkNames({
        EVENT_BUS: 'in-process',
        ANALYTICS_SEARCH_ENGINE: 'postgres',
        ANALYTICS_METRICS_ENGINE: 'postgres',
      }),
    ).toEqual(['postgres']);
  });

  it('checks only the engine still in use', () => {
    expect(checkNames({ ANALYTICS_SEARCH_ENGINE: 'postgres' })).toEqual([
      'kafka',
      'postgres',
      'influxdb',
    ]);
  });

  it('accepts nothing but the two engines of each port', () => {
    expect(() =>
      loadConfig(projectionsConfigSchema, { ANALYTICS_SEARCH_ENGINE: 'opensearch' }),
    ).toThrow(/ANALYTICS_SEARCH_ENGINE/);
  });
});
