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
import { missionConfigSchema, type MissionConfig } from '../src/mission.config';

/** Shared with "the gateway" of these tests: signs the principal header as the gateway does. */
export const INTERNAL_SECRET = 'mission-spec-internal-secret-0123456789abcdef';

/** The service configuration for a test run: its own Kafka topic. */
export function missionTestConfig(overrides: Record<string, string> = {}): MissionConfig {
  return loadConfig(missionConfigSchema, {
    ...process.env,
    LOG_LEVEL: 'silent',
    INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
    MISSION_EVENTS_TOPIC: `${testRunId()}.mission.events.v1`,
    ...overrides,
  });
}

export type GraphQLError = { message: string; extensions: { code: string; requestId: string } };
export type GraphQLBody<T = Record<string, unknown>> = { data?: T | null; errors?: GraphQLError[] };

/** A person acting in a workspace with a role, as identity's access token would say. */
export const member = (workspaceId: string, role: Role): Principal => ({
  kind: 'user',
  subject: randomUUID(),
  workspaceId,
  role,
  scopes: null,
});

/** An agent acting in its workspace; agent_operator holds no create_missions. */
export const agent = (workspaceId: string, id = `agent-${randomUUID()}`): Principal => ({
  kind: 'agent',
  subject: id,
  workspaceId,
  role: 'agent_operator',
  scopes: null,
});

/** Calls the subgraph the way the gateway does: the principal in the signed header. */
export class GatewayStandIn {
  /** Every response body, to check that none carries another workspace's data. */
  readonly responses: string[] = [];

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
    this.responses.push(response.text);
    return response.body as GraphQLBody<T>;
  }

  /** The data of a call expected to succeed; fails the test with the errors otherwise. */
  async ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown>,
    principal: Principal,
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
