import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { startServiceApp, testRunId } from '@mission-control/testing';
import * as agent from '@mission-control/agent';
import * as analytics from '@mission-control/analytics';
import * as identity from '@mission-control/identity';
import * as mission from '@mission-control/mission';

const root = path.resolve(__dirname, '..', '..');
const sdlDir = mkdtempSync(path.join(tmpdir(), 'one-process-sdl-'));

/** Each service's config for this run, writing the SDL it serves to a file of its own. */
const envFor = (name: string) => ({
  ...process.env,
  LOG_LEVEL: 'silent',
  [`${name.toUpperCase()}_SCHEMA_FILE`]: path.join(sdlDir, `${name}.graphql`),
  IDENTITY_EVENTS_TOPIC: `${testRunId()}.one-process.identity.events.v1`,
  AGENT_EVENTS_TOPIC: `${testRunId()}.one-process.agent.events.v1`,
  MISSION_EVENTS_TOPIC: `${testRunId()}.one-process.mission.events.v1`,
  ANALYTICS_CONSUMER_GROUP: `${testRunId()}.one-process.analytics`,
});

/**
 * Standalone mode runs every service in one process, where code-first GraphQL type metadata is
 * shared: each subgraph must still serve exactly its own schema, the one the gateway composes.
 */
describe('every subgraph in one process', () => {
  const apps: INestApplication[] = [];

  beforeAll(async () => {
    apps.push(
      await startServiceApp(
        identity.AppModule.forRoot(loadConfig(identity.identityConfigSchema, envFor('identity'))),
      ),
      await startServiceApp(
        agent.AppModule.forRoot(loadConfig(agent.agentConfigSchema, envFor('agent'))),
      ),
      await startServiceApp(
        mission.AppModule.forRoot(loadConfig(mission.missionConfigSchema, envFor('mission'))),
      ),
      await startServiceApp(
        analytics.AppModule.forRoot(
          loadConfig(analytics.analyticsConfigSchema, envFor('analytics')),
        ),
      ),
    );
  });
  afterAll(async () => {
    for (const app of apps.reverse()) {
      await app.close();
    }
  });

  it.each(['identity', 'agent', 'mission', 'analytics'])(
    '%s serves its committed schema and no other service’s types',
    (name) => {
      const served = readFileSync(path.join(sdlDir, `${name}.graphql`), 'utf8');
      expect(served).toBe(
        readFileSync(path.join(root, 'services', name, 'schema.graphql'), 'utf8'),
      );
    },
  );
});
