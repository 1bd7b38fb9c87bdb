import type { INestApplication } from '@nestjs/common';
import {
  AccessTokenVerifier,
  generateSigningKey,
  type JWK,
  type Principal,
} from '@mission-control/auth';
import { loadConfig } from '@mission-control/config';
import { gatewayHeaders, testRunId } from '@mission-control/testing';
import request from 'supertest';
import { identityConfigSchema, type IdentityConfig } from '../src/identity.config';

/** Shared with "the gateway" of these tests: signs the principal header as the gateway does. */
export const INTERNAL_SECRET = 'identity-spec-internal-secret-0123456789abcdef';

/** The service configuration for a test run: a fresh signing key, its own Kafka topic. */
export async function identityTestConfig(
  overrides: Record<string, string> = {},
): Promise<IdentityConfig> {
  return loadConfig(identityConfigSchema, {
    ...process.env,
    LOG_LEVEL: 'silent',
    IDENTITY_SIGNING_KEY: JSON.stringify(await generateSigningKey()),
    INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
    IDENTITY_EVENTS_TOPIC: `${testRunId()}.identity.events.v1`,
    ...overrides,
  });
}

export type GraphQLError = { message: string; extensions: { code: string; requestId: string } };
export type GraphQLBody<T = Record<string, unknown>> = { data?: T | null; errors?: GraphQLError[] };

/**
 * `token`: an access token the stand-in verifies; `principal`: one it already verified; `ip`: the
 * client address the gateway vouches for; `headers`: sent as they are, after the gateway's (a
 * spec posing as a direct caller replaces or forges them).
 */
export type CallOptions = {
  token?: string;
  principal?: Principal;
  ip?: string;
  headers?: Record<string, string>;
};

/**
 * Calls the subgraph the way the gateway will: verifies the caller's access token against the
 * service's published JWKS and forwards the principal in the signed header.
 */
export class GatewayStandIn {
  private verifier: AccessTokenVerifier | undefined;
  /** Every response body, to check that none ever carries a secret it should not. */
  readonly responses: string[] = [];

  constructor(
    private readonly app: INestApplication,
    private readonly config: IdentityConfig,
  ) {}

  private http() {
    return request(this.app.getHttpServer() as Parameters<typeof request>[0]);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    const response = await this.http().get('/.well-known/jwks.json').expect(200);
    return response.body as { keys: JWK[] };
  }

  async principalOf(accessToken: string): Promise<Principal> {
    this.verifier ??= new AccessTokenVerifier({
      issuer: this.config.AUTH_ISSUER,
      audience: this.config.AUTH_AUDIENCE,
      jwks: await this.jwks(),
    });
    return this.verifier.verify(accessToken);
  }

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<GraphQLBody<T>> {
    const principal =
      options.principal ?? (options.token ? await this.principalOf(options.token) : undefined);
    const signed = await gatewayHeaders(INTERNAL_SECRET, {
      clientAddress: options.ip ?? '203.0.113.1',
      ...(principal ? { principal } : {}),
    });
    const response = await this.http()
      .post('/graphql')
      .set({ 'content-type': 'application/json', ...signed, ...options.headers })
      .send({ query, variables });
    this.responses.push(response.text);
    return response.body as GraphQLBody<T>;
  }

  /** The data of a call expected to succeed; fails the test with the errors otherwise. */
  async ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<T> {
    const body = await this.gql<T>(query, variables, options);
    if (body.errors?.length || !body.data) {
      throw new Error(`GraphQL call failed: ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  }
}

/** The P5 code of the first error of a call expected to fail. */
export function errorCode(body: GraphQLBody): string | undefined {
  return body.errors?.[0]?.extensions.code;
}

export const runId = testRunId;
