import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import request from 'supertest';
import { gatewayHeaders } from './gateway-headers';

export type GraphQLError = {
  message: string;
  extensions: {
    code: string;
    requestId: string;
    retryable?: boolean;
    details?: Record<string, unknown>;
  };
};
export type GraphQLBody<T = Record<string, unknown>> = { data?: T | null; errors?: GraphQLError[] };

/**
 * Calls a booted subgraph the way the gateway does: its edge proof and the principal in signed
 * headers. `headers` may replace them (a spec posing as someone other than the gateway). Keeps
 * every response body, so a spec can check that none carries another workspace's data.
 */
export class SubgraphClient {
  readonly responses: string[] = [];

  constructor(
    private readonly app: INestApplication,
    private readonly internalSecret: string,
  ) {}

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    principal?: Principal,
    headers: Record<string, string> = {},
  ): Promise<GraphQLBody<T>> {
    const signed = await gatewayHeaders(this.internalSecret, principal ? { principal } : {});
    const response = await request(this.app.getHttpServer() as Parameters<typeof request>[0])
      .post('/graphql')
      .set({ 'content-type': 'application/json', ...signed, ...headers })
      .send({ query, variables });
    this.responses.push(response.text);
    return response.body as GraphQLBody<T>;
  }

  /** The data of a call expected to succeed; fails the test with the errors otherwise. */
  async ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    principal?: Principal,
  ): Promise<T> {
    const body = await this.gql<T>(query, variables, principal);
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
