import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { SubgraphClient, testRunId } from '@mission-control/testing';
export { errorCode, type GraphQLBody, type GraphQLError } from '@mission-control/testing';
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

/** Calls the subgraph the way the gateway does, with this spec's internal secret. */
export class GatewayStandIn extends SubgraphClient {
  constructor(app: INestApplication) {
    super(app, INTERNAL_SECRET);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
