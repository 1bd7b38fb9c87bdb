import { ConfigValidationError, loadConfig } from '@mission-control/config';
import { DEFAULT_SUPERGRAPH_PATH, gatewayConfigSchema, subgraphUrlKey } from './gateway.config';

const secret = 'x'.repeat(32);

describe('gateway config', () => {
  it('defaults every subgraph URL and limit', () => {
    const config = loadConfig(gatewayConfigSchema, { INTERNAL_AUTH_SECRET: secret });
    expect(config.subgraphUrls).toEqual({
      identity: 'http://127.0.0.1:4001/graphql',
      agent: 'http://127.0.0.1:4002/graphql',
      mission: 'http://127.0.0.1:4003/graphql',
      analytics: 'http://127.0.0.1:4005/graphql',
    });
    expect(config).toMatchObject({
      GATEWAY_PORT: 4000,
      AUTH_ISSUER: 'mission-control',
      AUTH_AUDIENCE: 'mission-control',
      IDENTITY_JWKS_URL: 'http://127.0.0.1:4001/.well-known/jwks.json',
      GATEWAY_SUPERGRAPH_PATH: DEFAULT_SUPERGRAPH_PATH,
      GRAPHQL_MAX_DEPTH: 12,
      GRAPHQL_MAX_ALIASES: 15,
      GRAPHQL_MAX_COST: 25_000,
      GRAPHQL_MAX_BATCH: 10,
    });
    expect(String(config.INTERNAL_AUTH_SECRET)).toBe('[redacted]');
  });

  it('refuses a replay window shorter than an access token lives: revocations come from it', () => {
    expect(() =>
      loadConfig(gatewayConfigSchema, {
        INTERNAL_AUTH_SECRET: secret,
        LIVE_REPLAY_WINDOW_SECONDS: '60',
      }),
    ).toThrow(ConfigValidationError);
    expect(
      loadConfig(gatewayConfigSchema, { INTERNAL_AUTH_SECRET: secret }).LIVE_REPLAY_WINDOW_SECONDS,
    ).toBe(900);
  });

  it('routes a subgraph to the URL of its <NAME>_GRAPHQL_URL key', () => {
    expect(subgraphUrlKey('identity')).toBe('IDENTITY_GRAPHQL_URL');
    const config = loadConfig(gatewayConfigSchema, {
      INTERNAL_AUTH_SECRET: secret,
      IDENTITY_GRAPHQL_URL: 'http://identity.mc.svc:4001/graphql',
    });
    expect(config.subgraphUrls.identity).toBe('http://identity.mc.svc:4001/graphql');
  });

  it('names every bad key', () => {
    expect(() =>
      loadConfig(gatewayConfigSchema, {
        INTERNAL_AUTH_SECRET: 'short',
        IDENTITY_GRAPHQL_URL: 'not a url',
        GRAPHQL_MAX_DEPTH: '0',
      }),
    ).toThrow(ConfigValidationError);
    try {
      loadConfig(gatewayConfigSchema, {
        INTERNAL_AUTH_SECRET: 'short',
        IDENTITY_GRAPHQL_URL: 'not a url',
        GRAPHQL_MAX_DEPTH: '0',
      });
    } catch (error) {
      const keys = (error as ConfigValidationError).issues.map((issue) => issue.key);
      expect(keys).toEqual(
        expect.arrayContaining([
          'INTERNAL_AUTH_SECRET',
          'IDENTITY_GRAPHQL_URL',
          'GRAPHQL_MAX_DEPTH',
        ]),
      );
      expect((error as Error).message).not.toContain('short');
    }
  });
});
