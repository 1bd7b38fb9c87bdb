import type { INestApplication } from '@nestjs/common';
import { PRINCIPAL_HEADER, signPrincipalHeader, type Principal } from '@mission-control/auth';
import request from 'supertest';

export type GraphQLError = {
  message: string;
  extensions: { code: string; requestId: string; details?: Record<string, unknown> };
};
export type GraphQLBody<T = Record<string, unknown>> = { data?: T | null; errors?: GraphQLError[] };

/**
 * Calls a booted subgraph the way the gateway does: the principal in the signed header. Keeps
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
    let call = request(this.app.getHttpServer() as Parameters<typeof request>[0])
      .post('/graphql')
      .set({ 'content-type': 'application/json', ...headers });
    if (principal) {
      call = call.set(PRINCIPAL_HEADER, await signPrincipalHeader(principal, this.internalSecret));
    }
    const response = await call.send({ query, variables });
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
