import {
  assertSchemaName,
  CatalogTextClient,
  clientConfig,
  parseDatabaseUrl,
  poolConfig,
} from './connection';
import { DEFAULT_DATABASE_URL, servicePrismaConfig } from './prisma-config';
import { assertService, SERVICES } from './prisma-cli';

describe('parseDatabaseUrl', () => {
  it('splits a URL into discrete fields', () => {
    expect(
      parseDatabaseUrl('postgresql://app:s%40cret@db.local:6543/mission_control?sslmode=require'),
    ).toEqual({
      host: 'db.local',
      port: 6543,
      user: 'app',
      password: 's@cret',
      database: 'mission_control',
      ssl: { rejectUnauthorized: false },
    });
  });

  it('applies Postgres defaults and reads socket hosts from ?host=', () => {
    expect(parseDatabaseUrl('postgres://postgres@127.0.0.1/mc')).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'mc',
    });
    expect(parseDatabaseUrl('postgresql:///mc?host=/var/run/postgresql').host).toBe(
      '/var/run/postgresql',
    );
    expect(parseDatabaseUrl('postgresql://[::1]:5433/mc')).toMatchObject({
      host: '::1',
      port: 5433,
    });
  });

  it('rejects URLs that are not Postgres or name no database', () => {
    expect(() => parseDatabaseUrl('mysql://x@y/z')).toThrow(/postgres/);
    expect(() => parseDatabaseUrl('postgresql://x@y')).toThrow(/no database/);
    expect(() => parseDatabaseUrl('not a url')).toThrow(/not a valid URL/);
  });
});

describe('poolConfig', () => {
  const fields = parseDatabaseUrl('postgresql://postgres@127.0.0.1:5432/mc?schema=public');

  it('puts the service schema on search_path and never passes a connection string', () => {
    const config = poolConfig(fields, { schema: 'identity', max: 3 });
    expect(config).toMatchObject({
      database: 'mc',
      options: '-c search_path=identity',
      max: 3,
      allowExitOnIdle: true,
    });
    expect(config).not.toHaveProperty('connectionString');
    expect(config.Client).toBe(CatalogTextClient);
  });

  it('lets only plain identifiers through as schema names', () => {
    expect(assertSchemaName('analytics')).toBe('analytics');
    for (const bad of ['Identity', 'a b', 'x"; drop', '', 'x,public']) {
      expect(() => assertSchemaName(bad)).toThrow(/not a valid schema name/);
    }
    expect(clientConfig(fields)).toEqual({
      host: '127.0.0.1',
      port: 5432,
      user: 'postgres',
      database: 'mc',
    });
  });
});

describe('servicePrismaConfig', () => {
  it('configures the JS schema engine for one service folder', () => {
    const saved = process.env.DATABASE_URL;
    delete process.env.DATABASE_URL;
    try {
      const config = servicePrismaConfig('mission');
      expect(config).toMatchObject({
        engine: 'js',
        experimental: { adapter: true },
        schema: 'prisma/schema.prisma',
        migrations: { path: 'prisma/migrations' },
      });
      expect(process.env.DATABASE_URL).toBe(DEFAULT_DATABASE_URL);
    } finally {
      process.env.DATABASE_URL = saved;
      if (saved === undefined) {
        delete process.env.DATABASE_URL;
      }
    }
  });

  it('knows every service', () => {
    expect(SERVICES).toEqual(['identity', 'agent', 'mission', 'integration', 'analytics']);
    expect(() => assertService('gateway')).toThrow(/unknown service/);
  });
});
