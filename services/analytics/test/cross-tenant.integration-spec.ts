import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { agentV1, missionV1 } from '@mission-control/proto';
import { startServiceApp, memberPrincipal } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import {
  analyticsTestConfig,
  errorCode,
  EventPublisher,
  GatewayStandIn,
  settled,
  specStreams,
  type GraphQLBody,
} from './analytics-test-kit';
import { SEARCH, THROUGHPUT, UTILISATION, type SearchView } from './analytics-queries';
import { WorkspaceWorld } from './analytics-world';

const { BoardColumn } = missionV1;
const { AgentStatus } = agentV1;
const streams = specStreams('tenants');
const at = (iso: string) => new Date(iso);
const SECRET = 'classified7f3a';

describe('analytics across workspaces', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let publisher: EventPublisher;
  let victim: WorkspaceWorld;
  let outsiderWorld: WorkspaceWorld;
  const secrets: string[] = [SECRET];

  beforeAll(async () => {
    const config = analyticsTestConfig(streams, { NODE_ENV: 'production' });
    publisher = new EventPublisher(config.KAFKA_BROKERS);
    await publisher.ensureTopics([streams.agentTopic, streams.missionTopic]);
    victim = new WorkspaceWorld(publisher, streams);
    outsiderWorld = new WorkspaceWorld(publisher, streams);

    const mission = await victim.mission({
      title: `Secret plan ${SECRET}`,
      description: `The ${SECRET} launch codes`,
      tags: [SECRET],
      at: at('2025-06-02T10:00:00Z'),
    });
    await victim.move(mission, BoardColumn.DONE, at('2025-06-02T12:00:00Z'));
    const comment = await victim.comment(
      mission,
      `Do not leak ${SECRET}`,
      at('2025-06-02T11:00:00Z'),
    );
    const agentId = await victim.agent(at('2025-06-02T00:00:00Z'));
    await victim.statuses(agentId, [[AgentStatus.BUSY, at('2025-06-02T09:00:00Z')]]);
    secrets.push(mission, comment, agentId);
    // The outsider's own workspace has data too, so its answers are not empty by accident.
    await outsiderWorld.mission({ title: 'Own plan', at: at('2025-06-02T10:00:00Z') });

    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
    await settled(app);
  });
  afterAll(async () => {
    await app?.close();
    await publisher?.close();
  });

  const range = { from: '2025-06-01T00:00:00Z', to: '2025-06-03T00:00:00Z' };
  const everyQuery = (ws: string) => [
    { query: SEARCH, variables: { ws, query: `${SECRET} plan` } },
    { query: SEARCH, variables: { ws, query: SECRET, filters: { kinds: ['COMMENT'] } } },
    { query: THROUGHPUT, variables: { ws, ...range } },
    { query: UTILISATION, variables: { ws, ...range } },
  ];

  it('the victim sees its own data (the check below would otherwise prove nothing)', async () => {
    const owner = memberPrincipal(victim.workspaceId, 'viewer');
    const { search } = await gateway.ok<SearchView>(
      SEARCH,
      { ws: victim.workspaceId, query: SECRET },
      owner,
    );
    expect(search.total).toBe(2);
    for (const { query, variables } of everyQuery(victim.workspaceId)) {
      expect(JSON.stringify(await gateway.ok(query, variables, owner))).toContain(
        query === THROUGHPUT ? '"done":1' : secrets[query === UTILISATION ? 3 : 1]!,
      );
    }
  });

  it('refuses every query through another workspace’s id, and answers nothing of it through its own', async () => {
    const outsiders: Principal[] = [
      memberPrincipal(outsiderWorld.workspaceId, 'admin'),
      // A user who has not chosen a workspace yet.
      { kind: 'user', subject: 'user-nowhere', workspaceId: null, role: null, scopes: null },
    ];
    const before = gateway.responses.length;
    for (const outsider of outsiders) {
      for (const { query, variables } of everyQuery(victim.workspaceId)) {
        const body: GraphQLBody = await gateway.gql(query, variables, outsider);
        expect(errorCode(body)).toBe('FORBIDDEN');
        expect(body.data ?? null).toBeNull();
      }
    }
    const own = memberPrincipal(outsiderWorld.workspaceId, 'admin');
    for (const { query, variables } of everyQuery(outsiderWorld.workspaceId)) {
      const body: GraphQLBody = await gateway.gql(query, variables, own);
      expect(body.errors).toBeUndefined();
    }
    const { search } = await gateway.ok<SearchView>(
      SEARCH,
      { ws: outsiderWorld.workspaceId, query: `${SECRET} plan` },
      own,
    );
    expect(search.hits.map((hit) => hit.title)).toEqual(['Own plan']);

    const answered = gateway.responses.slice(before).join('\n');
    for (const secret of secrets) {
      expect(answered).not.toContain(secret);
    }
  });
});
