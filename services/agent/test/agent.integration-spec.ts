import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { envelopeOf, prismaQueryable, type StoredEvent } from '@mission-control/eventing';
import { agentV1, readEvent } from '@mission-control/proto';
import { startServiceApp, memberPrincipal, agentPrincipal } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { agentEventStore } from '../src/eventing/agent-event-store';
import { AgentRelay } from '../src/eventing/agent-relay';
import { PresenceSweeper } from '../src/presence/presence.sweeper';
import {
  agentTestConfig,
  errorCode,
  GatewayStandIn,
  sleep,
  type GraphQLBody,
} from './agent-test-kit';

const AGENT_FIELDS = `id workspaceId name role capabilities config model provider status activity lastHeartbeatAt version`;
const REGISTER = `mutation ($ws: ID!, $input: RegisterAgentInput!) {
  registerAgent(workspaceId: $ws, input: $input) { ${AGENT_FIELDS} }
}`;
const UPDATE = `mutation ($ws: ID!, $id: ID!, $input: UpdateAgentInput!) {
  updateAgent(workspaceId: $ws, id: $id, input: $input) { ${AGENT_FIELDS} }
}`;
const ACTIVATE = `mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id status } }`;
const DEACTIVATE = `mutation ($ws: ID!, $id: ID!) { deactivateAgent(workspaceId: $ws, id: $id) { id status } }`;
const ROSTER = `query ($ws: ID!) { agents(workspaceId: $ws) { id name status activity lastHeartbeatAt } }`;
const AGENT = `query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { ${AGENT_FIELDS} } }`;
const HEARTBEAT = `mutation ($status: HeartbeatStatus!, $activity: String) {
  heartbeat(status: $status, activity: $activity) { id status activity lastHeartbeatAt }
}`;
const ISSUE_KEY = `mutation ($ws: ID!, $id: ID!) {
  issueAgentKey(workspaceId: $ws, agentId: $id) { key keyId prefix agent { id status } }
}`;
const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Agent { id name } } }`;

type AgentView = {
  id: string;
  workspaceId: string;
  name: string;
  status: string;
  activity: string | null;
  lastHeartbeatAt: string | null;
  config: string;
  version: number;
};

const servedSchemaFile = path.join(
  mkdtempSync(path.join(tmpdir(), 'agent-sdl-')),
  'schema.graphql',
);
const COMMITTED_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');
const noSchemaFile = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'agent-sdl-')), 'schema.graphql');

describe('agent subgraph', () => {
  const apps: INestApplication[] = [];
  let gateway: GatewayStandIn;
  let replica: GatewayStandIn;
  let generous: GatewayStandIn;
  let prisma: PrismaService;

  const boot = async (overrides: Record<string, string>) => {
    const app = await startServiceApp(
      AppModule.forRoot(agentTestConfig({ AGENT_SCHEMA_FILE: noSchemaFile(), ...overrides })),
    );
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    // Presence is tested with instances of its own below; here nobody goes offline.
    const primary = await boot({
      AGENT_SCHEMA_FILE: servedSchemaFile,
      AGENT_OFFLINE_AFTER_SECONDS: '3600',
    });
    gateway = new GatewayStandIn(primary);
    prisma = primary.get(PrismaService);
    replica = new GatewayStandIn(await boot({ AGENT_OFFLINE_AFTER_SECONDS: '3600' }));
    generous = new GatewayStandIn(
      await boot({ AGENT_OFFLINE_AFTER_SECONDS: '3600', AGENT_HEARTBEATS_PER_MINUTE: '1000' }),
    );
  });
  afterAll(async () => {
    for (const app of apps) {
      await app.close();
    }
  });

  const newWorkspace = () => {
    const id = randomUUID();
    return {
      id,
      admin: memberPrincipal(id, 'admin'),
      operator: memberPrincipal(id, 'agent_operator'),
    };
  };
  const register = async (
    workspace: { id: string; admin: Principal },
    input: Record<string, unknown> = {},
  ) =>
    (
      await gateway.ok<{ registerAgent: AgentView }>(
        REGISTER,
        { ws: workspace.id, input: { name: 'Scout', role: 'specialist', ...input } },
        workspace.admin,
      )
    ).registerAgent;
  const activeAgent = async (workspace: { id: string; admin: Principal }, name = 'Scout') => {
    const agent = await register(workspace, { name });
    await gateway.ok(ACTIVATE, { ws: workspace.id, id: agent.id }, workspace.admin);
    return { ...agent, principal: agentPrincipal(workspace.id, agent.id) };
  };
  const streamOf = (agentId: string): Promise<StoredEvent[]> =>
    agentEventStore.readStream(prismaQueryable(prisma), `agent-${agentId}`);
  const statusChanges = async (agentId: string) =>
    (await streamOf(agentId))
      .filter((event) => event.type === 'agent.v1.AgentStatusChanged')
      .map((event) => {
        const { data } = readEvent({ envelope: envelopeOf(event), payload: event.payload })
          .event as { data: agentV1.AgentStatusChanged };
        return `${agentV1.AgentStatus[data.fromStatus]}->${agentV1.AgentStatus[data.toStatus]}`;
      });
  const roster = async (workspace: { id: string; admin: Principal }) =>
    (await gateway.ok<{ agents: AgentView[] }>(ROSTER, { ws: workspace.id }, workspace.admin))
      .agents;

  it('serves the Federation 2 SDL that is committed for the gateway to compose', () => {
    const served = readFileSync(servedSchemaFile, 'utf8');
    expect(served).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
    expect(served).toMatch(/type Agent\s+@key\(fields: "id"\)/);
    // When this fails: commit the new services/agent/schema.graphql, then `npx nx run gateway:compose`.
    expect(served).toBe(readFileSync(COMMITTED_SCHEMA_FILE, 'utf8'));
  });

  it('lets admins and agent operators register agents; viewers and mission commanders are refused', async () => {
    const workspace = newWorkspace();
    const byAdmin = await register(workspace, {
      capabilities: ['code', 'review'],
      config: '{"temperature": 0.2}',
      model: 'claude-sonnet-4',
      provider: 'anthropic',
    });
    expect(byAdmin).toMatchObject({
      workspaceId: workspace.id,
      name: 'Scout',
      status: 'INACTIVE',
      config: '{"temperature":0.2}',
      model: 'claude-sonnet-4',
      version: 1,
    });
    await gateway.ok(
      REGISTER,
      { ws: workspace.id, input: { name: 'Ops', role: 'lead' } },
      workspace.operator,
    );
    for (const role of ['viewer', 'mission_commander'] as const) {
      const body = await gateway.gql(
        REGISTER,
        { ws: workspace.id, input: { name: 'Nope', role: 'intern' } },
        memberPrincipal(workspace.id, role),
      );
      expect(errorCode(body)).toBe('FORBIDDEN');
    }
    expect(
      errorCode(await gateway.gql(REGISTER, { ws: workspace.id, input: { name: 'x', role: 'y' } })),
    ).toBe('UNAUTHENTICATED');
    const bad = await gateway.gql(
      REGISTER,
      { ws: workspace.id, input: { name: 'Bad', role: 'x', config: '[1,2]' } },
      workspace.admin,
    );
    expect(errorCode(bad)).toBe('VALIDATION_ERROR');
    expect((await roster(workspace)).map((agent) => agent.name)).toEqual(['Ops', 'Scout']);
  });

  it('answers a malformed id with VALIDATION_ERROR naming the argument, on reads and writes alike', async () => {
    const workspace = newWorkspace();
    const agent = await register(workspace);
    const calls: [string, Promise<GraphQLBody>][] = [
      ['id', gateway.gql(AGENT, { ws: workspace.id, id: 'xyz' }, workspace.admin)],
      ['id', gateway.gql(ACTIVATE, { ws: workspace.id, id: "1' OR '1'='1" }, workspace.admin)],
      ['agentId', gateway.gql(ISSUE_KEY, { ws: workspace.id, id: 'agent-7' }, workspace.admin)],
      ['workspaceId', gateway.gql(ROSTER, { ws: 'ws-1' }, workspace.admin)],
      ['workspaceId', gateway.gql(AGENT, { ws: '', id: agent.id }, workspace.admin)],
    ];
    for (const [argument, call] of calls) {
      const body = await call;
      expect(body.data ?? null).toBeNull();
      expect(body.errors).toEqual([
        expect.objectContaining({
          message: `${argument}: must be a valid id (a UUID)`,
          extensions: expect.objectContaining({ code: 'VALIDATION_ERROR', retryable: false }),
        }),
      ]);
    }
  });

  it('refuses control and bidi characters in names, roles and capabilities, naming the field', async () => {
    const workspace = newWorkspace();
    const attempts: [Record<string, unknown>, string][] = [
      [{ name: 'Scout\u202Eexe' }, 'data.name'],
      [{ role: 'lead\u001b[31m' }, 'data.role'],
      [{ capabilities: ['code', 'x\u0007'] }, 'data.capabilities.1'],
      [{ model: 'a\u2066b' }, 'data.model'],
    ];
    for (const [input, field] of attempts) {
      const body = await gateway.gql(
        REGISTER,
        { ws: workspace.id, input: { name: 'Scout', role: 'specialist', ...input } },
        workspace.admin,
      );
      expect(errorCode(body)).toBe('VALIDATION_ERROR');
      expect(body.errors?.[0]?.message).toBe(
        `${field}: must not contain control characters or bidirectional overrides`,
      );
    }
    expect(await roster(workspace)).toEqual([]);
  });

  it('updates the profile; a viewer may read the roster but not change it', async () => {
    const workspace = newWorkspace();
    const agent = await register(workspace);
    const { updateAgent } = await gateway.ok<{ updateAgent: AgentView }>(
      UPDATE,
      { ws: workspace.id, id: agent.id, input: { model: 'gpt-5', config: '{"a":1}' } },
      workspace.operator,
    );
    expect(updateAgent).toMatchObject({ name: 'Scout', config: '{"a":1}', version: 2 });
    const viewer = memberPrincipal(workspace.id, 'viewer');
    const { agent: seen } = await gateway.ok<{ agent: AgentView }>(
      AGENT,
      { ws: workspace.id, id: agent.id },
      viewer,
    );
    expect(seen).toMatchObject({ id: agent.id, version: 2 });
    expect(errorCode(await gateway.gql(ACTIVATE, { ws: workspace.id, id: agent.id }, viewer))).toBe(
      'FORBIDDEN',
    );
    expect((await streamOf(agent.id)).map((event) => event.type)).toEqual([
      'agent.v1.AgentRegistered',
      'agent.v1.AgentUpdated',
    ]);
  });

  it('goes inactive → idle on activation, busy on a heartbeat; same-status heartbeats write no events', async () => {
    const workspace = newWorkspace();
    const agent = await register(workspace);
    expect((await roster(workspace))[0]).toMatchObject({ status: 'INACTIVE', activity: null });

    await gateway.ok(ACTIVATE, { ws: workspace.id, id: agent.id }, workspace.operator);
    expect((await roster(workspace))[0]).toMatchObject({ status: 'IDLE', lastHeartbeatAt: null });
    expect(await statusChanges(agent.id)).toEqual(['INACTIVE->IDLE']);

    // The generous instance shares the database; its higher limit leaves room for 11 beats.
    const self = agentPrincipal(workspace.id, agent.id);
    const { heartbeat } = await generous.ok<{ heartbeat: AgentView }>(
      HEARTBEAT,
      { status: 'BUSY', activity: 'reviewing MC-12' },
      self,
    );
    expect(heartbeat).toMatchObject({ status: 'BUSY', activity: 'reviewing MC-12' });
    expect((await roster(workspace))[0]).toMatchObject({
      status: 'BUSY',
      activity: 'reviewing MC-12',
    });
    expect((await roster(workspace))[0]?.lastHeartbeatAt).not.toBeNull();
    expect(await statusChanges(agent.id)).toEqual(['INACTIVE->IDLE', 'IDLE->BUSY']);

    const versionBefore = (await streamOf(agent.id)).length;
    for (let beat = 1; beat <= 10; beat += 1) {
      await generous.ok(HEARTBEAT, { status: 'BUSY', activity: `step ${beat}` }, self);
    }
    expect(await streamOf(agent.id)).toHaveLength(versionBefore);
    expect((await roster(workspace))[0]).toMatchObject({ status: 'BUSY', activity: 'step 10' });
    // A same-status heartbeat answers the agent exactly as it reads afterwards, every field.
    const steady = await generous.ok<{ heartbeat: Record<string, unknown> }>(
      `mutation { heartbeat(status: BUSY, activity: "step 11") { ${AGENT_FIELDS} } }`,
      {},
      self,
    );
    const read = await gateway.ok<{ agent: Record<string, unknown> }>(
      AGENT,
      { ws: workspace.id, id: agent.id },
      workspace.operator,
    );
    expect(steady.heartbeat).toEqual(read.agent);
    expect(steady.heartbeat).toMatchObject({ activity: 'step 11', config: expect.any(String) });

    await gateway.ok(DEACTIVATE, { ws: workspace.id, id: agent.id }, workspace.admin);
    expect((await roster(workspace))[0]).toMatchObject({ status: 'INACTIVE', activity: null });
    expect(errorCode(await generous.gql(HEARTBEAT, { status: 'IDLE' }, self))).toBe('CONFLICT');
  });

  it('limits heartbeats to 6 a minute per agent, counted across replicas', async () => {
    const workspace = newWorkspace();
    const agent = await activeAgent(workspace);
    const other = await activeAgent(workspace, 'Other');
    for (let beat = 1; beat <= 6; beat += 1) {
      // Alternating instances: the count lives in Postgres, not in either of them.
      await (beat % 2 ? gateway : replica).ok(HEARTBEAT, { status: 'IDLE' }, agent.principal);
    }
    const limited = await gateway.gql(HEARTBEAT, { status: 'IDLE' }, agent.principal);
    expect(errorCode(limited)).toBe('LIMIT_EXCEEDED');
    const retryAfter = limited.errors?.[0]?.extensions.details?.retryAfterSeconds;
    expect(retryAfter).toEqual(expect.any(Number));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(errorCode(await replica.gql(HEARTBEAT, { status: 'IDLE' }, agent.principal))).toBe(
      'LIMIT_EXCEEDED',
    );
    // Per agent: another agent is not held back.
    await gateway.ok(HEARTBEAT, { status: 'IDLE' }, other.principal);
  });

  it('takes heartbeats from agents only, each for itself', async () => {
    const workspace = newWorkspace();
    const scout = await activeAgent(workspace, 'Scout');
    const pilot = await activeAgent(workspace, 'Pilot');

    await gateway.ok(HEARTBEAT, { status: 'BUSY', activity: 'flying' }, pilot.principal);
    const views = await roster(workspace);
    expect(views.find((view) => view.id === pilot.id)).toMatchObject({ status: 'BUSY' });
    expect(views.find((view) => view.id === scout.id)).toMatchObject({
      status: 'IDLE',
      lastHeartbeatAt: null,
    });

    for (const principal of [workspace.admin, { ...scout.principal, kind: 'api_key' as const }]) {
      expect(errorCode(await gateway.gql(HEARTBEAT, { status: 'BUSY' }, principal))).toBe(
        'FORBIDDEN',
      );
    }
    // An agent id claimed in another workspace, or an agent that does not exist, finds nothing.
    const elsewhere = newWorkspace();
    for (const principal of [
      agentPrincipal(elsewhere.id, scout.id),
      agentPrincipal(randomUUID(), workspace.id),
    ]) {
      expect(errorCode(await gateway.gql(HEARTBEAT, { status: 'BUSY' }, principal))).toBe(
        'NOT_FOUND',
      );
    }
    expect(await statusChanges(scout.id)).toEqual(['INACTIVE->IDLE']);
  });

  it('never lets another workspace read or change an agent', async () => {
    const a = newWorkspace();
    const b = newWorkspace();
    const agent = await activeAgent(a);
    await gateway.ok(HEARTBEAT, { status: 'BUSY', activity: 'secret work' }, agent.principal);
    const before = await streamOf(agent.id);

    const attempts: [string, Record<string, unknown>][] = [
      [AGENT, { id: agent.id }],
      [UPDATE, { id: agent.id, input: { name: 'Hijacked' } }],
      [ACTIVATE, { id: agent.id }],
      [DEACTIVATE, { id: agent.id }],
      [ISSUE_KEY, { id: agent.id }],
      [ROSTER, {}],
      [REGISTER, { input: { name: 'Planted', role: 'spy' } }],
    ];
    for (const [query, variables] of attempts) {
      // B's admin names A's workspace, or its own workspace with A's agent id.
      for (const ws of [a.id, b.id]) {
        const body = await gateway.gql(query, { ws, ...variables }, b.admin);
        if (query === ROSTER || (query === REGISTER && ws === b.id)) {
          continue;
        }
        expect([ws, errorCode(body)]).toEqual([ws, ws === a.id ? 'FORBIDDEN' : 'NOT_FOUND']);
        expect(JSON.stringify(body.data ?? null)).not.toContain(agent.id);
      }
    }
    const { agents: bRoster } = await gateway.ok<{ agents: AgentView[] }>(
      ROSTER,
      { ws: b.id },
      b.admin,
    );
    expect(bRoster.map((view) => view.name)).not.toContain('Scout');
    expect(errorCode(await gateway.gql(ROSTER, { ws: a.id }, b.admin))).toBe('FORBIDDEN');

    // Entity references resolve only within the caller's workspace.
    const reps = { reps: [{ __typename: 'Agent', id: agent.id }] };
    expect((await gateway.ok<{ _entities: unknown[] }>(ENTITIES, reps, b.admin))._entities).toEqual(
      [null],
    );
    expect((await gateway.ok<{ _entities: unknown[] }>(ENTITIES, reps, a.admin))._entities).toEqual(
      [{ id: agent.id, name: 'Scout' }],
    );

    const after = await streamOf(agent.id);
    expect(after).toHaveLength(before.length);
    expect((await roster(a))[0]).toMatchObject({ name: 'Scout', activity: 'secret work' });
  });

  it('issues an agent key once, keeps only its hash, and replaces or revokes it in the event log', async () => {
    const workspace = newWorkspace();
    const agent = await activeAgent(workspace);
    type Issued = { key: string; keyId: string; prefix: string; agent: { id: string } };
    const issue = async () =>
      (
        await gateway.ok<{ issueAgentKey: Issued }>(
          ISSUE_KEY,
          { ws: workspace.id, id: agent.id },
          workspace.admin,
        )
      ).issueAgentKey;
    const first = await issue();
    expect(first.key).toMatch(new RegExp(`^mca_${first.prefix}_[A-Za-z0-9_-]{43}$`));
    expect(first.agent.id).toBe(agent.id);
    const second = await issue();
    expect(second.key).not.toBe(first.key);

    const viewer = memberPrincipal(workspace.id, 'viewer');
    const refused = await gateway.gql(ISSUE_KEY, { ws: workspace.id, id: agent.id }, viewer);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    await gateway.ok(DEACTIVATE, { ws: workspace.id, id: agent.id }, workspace.admin);

    const keyEvents = (await streamOf(agent.id))
      .filter((event) => event.type.startsWith('agent.v1.AgentKey'))
      .map((event) => {
        const { data } = readEvent({ envelope: envelopeOf(event), payload: event.payload })
          .event as { data: { keyId: string; secretSha256?: Uint8Array } };
        return { type: event.type, keyId: data.keyId, hash: data.secretSha256 };
      });
    expect(keyEvents.map(({ type, keyId }) => [type, keyId])).toEqual([
      ['agent.v1.AgentKeyIssued', first.keyId],
      ['agent.v1.AgentKeyRevoked', first.keyId],
      ['agent.v1.AgentKeyIssued', second.keyId],
      ['agent.v1.AgentKeyRevoked', second.keyId],
    ]);
    // The event log holds the secret's hash, never the secret (base64url: it may hold '_' itself).
    const secret = Buffer.from(first.key.slice(`mca_${first.prefix}_`.length));
    expect(secret).toHaveLength(43);
    for (const event of await streamOf(agent.id)) {
      expect(Buffer.from(event.payload).includes(secret)).toBe(false);
      expect(JSON.stringify(event.metadata)).not.toContain(secret.toString());
    }
    expect(Buffer.from(keyEvents[0]!.hash!).toString('hex')).toBe(
      createHash('sha256').update(first.key).digest('hex'),
    );
  });

  describe('presence', () => {
    let sweeperA: INestApplication;
    let sweeperB: INestApplication;
    let viaA: GatewayStandIn;

    beforeAll(async () => {
      // Two replicas on the same database, a short heartbeat expiry, sweeping often.
      const presence = {
        AGENT_OFFLINE_AFTER_SECONDS: '2',
        AGENT_PRESENCE_SWEEP_INTERVAL_MS: '200',
        AGENT_HEARTBEATS_PER_MINUTE: '1000',
      };
      sweeperA = await boot(presence);
      sweeperB = await boot(presence);
      viaA = new GatewayStandIn(sweeperA);
    });

    const waitForStatus = async (
      workspace: { id: string; admin: Principal },
      agentId: string,
      status: string,
    ) => {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const view = (await roster(workspace)).find((candidate) => candidate.id === agentId);
        if (view?.status === status || Date.now() > deadline) {
          return view;
        }
        await sleep(100);
      }
    };

    it('marks an agent whose heartbeats stop offline, once, and a heartbeat brings it back', async () => {
      const workspace = newWorkspace();
      const agent = await activeAgent(workspace);
      await viaA.ok(HEARTBEAT, { status: 'BUSY', activity: 'working' }, agent.principal);

      expect(await waitForStatus(workspace, agent.id, 'OFFLINE')).toMatchObject({
        status: 'OFFLINE',
        activity: null,
      });
      // Both replicas keep sweeping: the transition stays recorded once.
      await sleep(1_000);
      expect(await statusChanges(agent.id)).toEqual([
        'INACTIVE->IDLE',
        'IDLE->BUSY',
        'BUSY->OFFLINE',
      ]);
      const offline = (await streamOf(agent.id)).at(-1)!;
      expect(offline.metadata.actor).toEqual({ kind: 'system', id: 'agent-presence-sweeper' });

      const { heartbeat } = await viaA.ok<{ heartbeat: AgentView }>(
        HEARTBEAT,
        { status: 'IDLE', activity: 'back' },
        agent.principal,
      );
      expect(heartbeat).toMatchObject({ status: 'IDLE', activity: 'back' });
      expect(await statusChanges(agent.id)).toEqual([
        'INACTIVE->IDLE',
        'IDLE->BUSY',
        'BUSY->OFFLINE',
        'OFFLINE->IDLE',
      ]);
    });

    it('records one transition when two instances sweep the same agents at once', async () => {
      const workspace = newWorkspace();
      const agents = await Promise.all(
        ['One', 'Two', 'Three'].map((name) => activeAgent(workspace, name)),
      );
      await Promise.all(
        agents.map((agent) => viaA.ok(HEARTBEAT, { status: 'BUSY' }, agent.principal)),
      );
      await sleep(2_200);
      const swept = await Promise.all(
        [sweeperA, sweeperB, sweeperA, sweeperB].map((app) => app.get(PresenceSweeper).sweep()),
      );
      expect(swept.every((count) => count >= 0)).toBe(true);
      for (const agent of agents) {
        expect(await waitForStatus(workspace, agent.id, 'OFFLINE')).toMatchObject({
          status: 'OFFLINE',
        });
        expect(await statusChanges(agent.id)).toEqual([
          'INACTIVE->IDLE',
          'IDLE->BUSY',
          'BUSY->OFFLINE',
        ]);
      }
    });

    it('never marks an inactive agent offline', async () => {
      const workspace = newWorkspace();
      const agent = await register(workspace);
      await sleep(2_500);
      expect((await roster(workspace))[0]).toMatchObject({ id: agent.id, status: 'INACTIVE' });
      expect(await statusChanges(agent.id)).toEqual([]);
    });
  });

  it('records every change with a verified hash chain and publishes it all to Kafka', async () => {
    const db = prismaQueryable(prisma);
    const report = await agentEventStore.verify(db);
    expect(report.problems).toEqual([]);

    const relays = apps.map((app) => app.get(AgentRelay));
    const deadline = Date.now() + 20_000;
    while ((await relays[0]!.lag()).events > 0 && Date.now() < deadline) {
      await sleep(100);
    }
    expect((await relays[0]!.lag()).events).toBe(0);
    // One relay leads (advisory lock); together they published every event.
    const published = relays.reduce((sum, relay) => sum + relay.publishedCount, 0);
    const { rows } = await db.query<{ count: string }>(
      'SELECT count(*)::text AS count FROM events',
    );
    expect(published).toBeGreaterThanOrEqual(Number(rows[0]?.count));
  });
});
