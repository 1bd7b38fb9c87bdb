import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import {
  PRINCIPAL_HEADER,
  signPrincipalHeader,
  type Principal,
  type Role,
} from '@mission-control/auth';
import { loadConfig } from '@mission-control/config';
import { testRunId } from '@mission-control/testing';
import request from 'supertest';
import { agentConfigSchema, type AgentConfig } from '../src/agent.config';

/** Shared with "the gateway" of these tests: signs the principal header as the gateway does. */
export const INTERNAL_SECRET = 'agent-spec-internal-secret-0123456789abcdef';

/** The service configuration for a test run: its own Kafka topic, quiet logs. */
export function agentTestConfig(overrides: Record<string, string> = {}): AgentConfig {
  return loadConfig(agentConfigSchema, {
    ...process.env,
    LOG_LEVEL: 'silent',
    INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
    AGENT_EVENTS_TOPIC: `${testRunId()}.agent.events.v1`,
    ...overrides,
  });
}

/** A member of a workspace, as identity would have issued their token. */
export const member = (workspaceId: string, role: Role): Principal => ({
  kind: 'user',
  subject: randomUUID(),
  workspaceId,
  role,
  scopes: null,
});

/** An agent acting as itself; agent credentials come later, the gateway's principal shape is this. */
export const agentPrincipal = (agentId: string, workspaceId: string): Principal => ({
  kind: 'agent',
  subject: agentId,
  workspaceId,
  role: null,
  scopes: null,
});

export type GraphQLError = {
  message: string;
  extensions: { code: string; requestId: string; details?: Record<string, unknown> };
};
export type GraphQLBody<T = Record<string, unknown>> = { data?: T | null; errors?: GraphQLError[] };

/** Calls the subgraph the way the gateway does: the verified principal in the signed header. */
export class GatewayStandIn {
  constructor(private readonly app: INestApplication) {}

  async gql<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    principal?: Principal,
  ): Promise<GraphQLBody<T>> {
    let call = request(this.app.getHttpServer() as Parameters<typeof request>[0])
      .post('/graphql')
      .set('content-type', 'application/json');
    if (principal) {
      call = call.set(PRINCIPAL_HEADER, await signPrincipalHeader(principal, INTERNAL_SECRET));
    }
    const response = await call.send({ query, variables });
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
