import { z } from 'zod';
import { ConfigValidationError, loadConfig } from './load-config';
import { kafkaEnv, port, postgresEnv, runtimeEnv, secret } from './env-schemas';

const schema = runtimeEnv
  .extend(postgresEnv.shape)
  .extend(kafkaEnv.shape)
  .extend({ HTTP_PORT: port(4001), JWT_SECRET: secret() });

describe('loadConfig', () => {
  it('applies defaults that point at the local engines', () => {
    const config = loadConfig(schema, { JWT_SECRET: 's3cret' });
    expect(config.NODE_ENV).toBe('development');
    expect(config.HTTP_PORT).toBe(4001);
    expect(config.DATABASE_URL).toBe('postgresql://postgres@127.0.0.1:5432/mission_control');
    expect(config.KAFKA_BROKERS).toEqual(['127.0.0.1:9092']);
    expect(config.EVENT_BUS).toBe('kafka');
  });

  it('takes the in-process event bus, and nothing but the two buses', () => {
    expect(loadConfig(schema, { JWT_SECRET: 'x', EVENT_BUS: 'in-process' }).EVENT_BUS).toBe(
      'in-process',
    );
    expect(() => loadConfig(schema, { JWT_SECRET: 'x', EVENT_BUS: 'rabbitmq' })).toThrow(
      /EVENT_BUS/,
    );
  });

  it('coerces and parses values', () => {
    const config = loadConfig(schema, {
      HTTP_PORT: '8080',
      KAFKA_BROKERS: 'a:1, b:2',
      JWT_SECRET: 'x',
    });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.KAFKA_BROKERS).toEqual(['a:1', 'b:2']);
  });

  it('names every bad or missing key', () => {
    const attempt = () =>
      loadConfig(schema, { HTTP_PORT: 'eighty', NODE_ENV: 'staging', KAFKA_BROKERS: 'nohost' });
    expect(attempt).toThrow(ConfigValidationError);
    try {
      attempt();
    } catch (error) {
      const keys = (error as ConfigValidationError).issues.map((issue) => issue.key).sort();
      expect(keys).toEqual(['HTTP_PORT', 'JWT_SECRET', 'KAFKA_BROKERS.0', 'NODE_ENV']);
      expect((error as Error).message).toContain('HTTP_PORT');
    }
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(schema, { HTTP_PORT: '', JWT_SECRET: 'x' }).HTTP_PORT).toBe(4001);
  });

  it('never prints secrets', () => {
    const config = loadConfig(schema, { JWT_SECRET: 'hunter2' });
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(String(config.JWT_SECRET)).toBe('[redacted]');
    expect(config.JWT_SECRET.reveal()).toBe('hunter2');
  });

  it('rejects a non-postgres database url', () => {
    expect(() =>
      loadConfig(z.object(postgresEnv.shape), { DATABASE_URL: 'mysql://root@localhost/db' }),
    ).toThrow(/DATABASE_URL/);
  });
});
