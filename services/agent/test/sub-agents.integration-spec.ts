import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { envelopeOf, prismaQueryable } from '@mission-control/eventing';
import { agentV1, readEvent } from '@mission-control/proto';
import { agentPrincipal, memberPrincipal, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { agentEventStore } from '../src/eventing/agent-event-store';
import { SubAgentsSweeper } from '../src/sub-agents/sub-agents.sweeper';
import { agentTestConfig, errorCode, GatewayStandIn } from './agent-test-kit';

const REGISTER = `mutation ($ws: ID!, $input: RegisterAgentInput!) {
  registerAgent(workspaceId: $ws, input: $input) { id }
}`;
const ACTIVATE = `mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }`;
const DEACTIVATE = `mutation ($ws: ID!, $id: ID!) { deactivateAgent(workspaceId: $ws, id: $id) { id } }`;
const HEARTBEAT = `mutation { heartbeat(status: BUSY) { id status } }`;
const SPAWN = `mutation ($input: SpawnSubAgentInput!) {
  spawnSubAgent(input: $input) {
    key keyId prefix expiresAt
    agent { id name role capabilities model status parentId expiresAt parent { id } }
  }
}`;
const AGENT = `query ($ws: ID!, $id: ID!) {
  agent(workspaceId: $ws, id: $id) {
    id status parentId expiresAt parent { id name } children { id name status expiresAt }
  }
}`;

type Spawned = {
  key: string;
  keyId: string;
  prefix: string;
  expiresAt: string;
  agent: {
    id: string;
    name: string;
    role: string;
    capabilities: string[];
    model: string;
    status: string;
    parentId: string | null;
    expiresAt: string | null;
    parent: { id: string } | null;
  };
};
type Workspace = { id: string; admin: Principal };

const noSchemaFile = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'agent-sdl-')), 'schema.graphql');

describe('sub-agents (PRODUCT A4)', () => {
  const apps: INestApplication[] = [];
  let gateway: GatewayStandIn;
  let prisma: PrismaService;
  let sweeperA: INestApplication;
  let sweeperB: INestApplication;

  const boot = async (overrides: Record<string, string>) => {
    const app = await startServiceApp(
      AppModule.forRoot(agentTestConfig({ AGENT_SCHEMA_FILE: noSchemaFile(), ...overrides })),
    );
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    // The sweepers are called by the tests; their timers stay out of the way.
    const quiet = {
      AGENT_OFFLINE_AFTER_SECONDS: '3600',
      AGENT_SUB_AGENT_MAX_TTL_SECONDS: '600',
      AGENT_SUB_AGENT_MAX_LIVE: '2',
      AGENT_SUB_AGENT_SWEEP_INTERVAL_MS: '3600000',
      AGENT_HEARTBEATS_PER_MINUTE: '1000',
    };
    const primary = await boot(quiet);
    gateway = new GatewayStandIn(primary);
    prisma = primary.get(PrismaService);
    sweeperA = primary;
    sweeperB = await boot(quiet);
  });
  afterAll(async () => {
    for (const app of apps) {
      await app.close();
    }
  });

  const newWorkspace = (): Workspace => {
    const id = randomUUID();
    return { id, admin: memberPrincipal(id, 'admin') };
  };
  const registered = async (workspace: Workspace, name = 'Lead') =>
    (
      await gateway.ok<{ registerAgent: { id: string } }>(
        REGISTER,
        {
          ws: workspace.id,
          input: { name, role: 'lead', capabilities: ['code', 'review'], model: 'claude-opus-4' },
        },
        workspace.admin,
      )
    ).registerAgent.id;
  const activeAgent = async (workspace: Workspace, name = 'Lead') => {
    const id = await registered(workspace, name);
    await gateway.ok(ACTIVATE, { ws: workspace.id, id }, workspace.admin);
    return { id, principal: agentPrincipal(workspace.id, id) };
  };
  const spawn = async (parent: Principal, input: Record<string, unknown> = {}) =>
    (
      await gateway.ok<{ spawnSubAgent: Spawned }>(
        SPAWN,
        { input: { name: 'Helper', ttlSeconds: 60, ...input } },
        parent,
      )
    ).spawnSubAgent;
  const spawnCode = async (parent: Principal, input: Record<string, unknown> = {}) =>
    errorCode(
      await gateway.gql(SPAWN, { input: { name: 'Helper', ttlSeconds: 60, ...input } }, parent),
    );
  const typesOf = async (agentId: string) =>
    (await agentEventStore.readStream(prismaQueryable(prisma), `agent-${agentId}`)).map((event) =>
      event.type.replace('agent.v1.', ''),
    );
  const endReasons = async (agentId: string) =>
    (await agentEventStore.readStream(prismaQueryable(prisma), `agent-${agentId}`))
      .filter((event) => event.type === 'agent.v1.SubAgentEnded')
      .map((event) => {
        const { data } = readEvent({ envelope: envelopeOf(event), payload: event.payload })
          .event as { data: agentV1.SubAgentEnded };
        return agentV1.SubAgentEndReason[data.reason];
      });
  const agentView = async (workspace: Workspace, id: string) =>
    (
      await gateway.ok<{
        agent: {
          status: string;
          parentId: string | null;
          parent: { id: string } | null;
          children: { id: string; status: string }[];
        };
      }>(AGENT, { ws: workspace.id, id }, workspace.admin)
    ).agent;
  /** Makes the child's time to live run out now, as the clock would. */
  const expireNow = (childId: string) =>
    prisma.$executeRaw`UPDATE agent.agents SET expires_at = now() - interval '1 second' WHERE id = ${childId}::uuid`;

  it('lets an active agent spawn an active child with a key of its own that expires', async () => {
    const workspace = newWorkspace();
    const lead = await activeAgent(workspace);
    const before = Date.now();
    const spawned = await spawn(lead.principal, { ttlSeconds: 120, capabilities: ['review'] });

    expect(spawned.key).toMatch(new RegExp(`^mca_${spawned.prefix}_[A-Za-z0-9_-]{43}$`));
    const expiresAt = Date.parse(spawned.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(expiresAt).toBeLessThan(Date.now() + 120_000 + 1_000);
    expect(spawned.agent).toMatchObject({
      name: 'Helper',
      // The parent's, where the input leaves them out.
      role: 'lead',
      model: 'claude-opus-4',
      capabilities: ['review'],
      status: 'IDLE',
      parentId: lead.id,
      expiresAt: spawned.expiresAt,
      parent: { id: lead.id },
    });
    expect(await typesOf(spawned.agent.id)).toEqual([
      'AgentRegistered',
      'SubAgentSpawned',
      'AgentActivated',
      'AgentStatusChanged',
      'AgentKeyIssued',
    ]);
    const [issued] = (
      await agentEventStore.readStream(prismaQueryable(prisma), `agent-${spawned.agent.id}`)
    )
      .filter((event) => event.type === 'agent.v1.AgentKeyIssued')
      .map(
        (event) =>
          readEvent({ envelope: envelopeOf(event), payload: event.payload }).event
            .data as agentV1.AgentKeyIssued,
      );
    expect(issued).toMatchObject({ keyId: spawned.keyId, expiresAtUnixMs: BigInt(expiresAt) });

    const parent = await agentView(workspace, lead.id);
    expect(parent).toMatchObject({ parentId: null, parent: null });
    expect(parent.children.map((child) => child.id)).toEqual([spawned.agent.id]);
    // The child heartbeats as an agent of its own.
    const child = agentPrincipal(workspace.id, spawned.agent.id);
    expect(await gateway.ok(HEARTBEAT, {}, child)).toMatchObject({
      heartbeat: { status: 'BUSY' },
    });
  });

  it('refuses people, inactive agents and sub-agents (one level only) with FORBIDDEN', async () => {
    const workspace = newWorkspace();
    expect(await spawnCode(workspace.admin)).toBe('FORBIDDEN');
    const inactive = await registered(workspace, 'Idle');
    expect(await spawnCode(agentPrincipal(workspace.id, inactive))).toBe('FORBIDDEN');
    // An agent id no workspace knows, as a forged or stale token would carry.
    expect(await spawnCode(agentPrincipal(workspace.id, randomUUID()))).toBe('FORBIDDEN');

    const lead = await activeAgent(workspace);
    const child = await spawn(lead.principal);
    expect(await spawnCode(agentPrincipal(workspace.id, child.agent.id))).toBe('FORBIDDEN');
    // A person cannot give the child a second key, nor bring it back once stopped.
    const issue = `mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { key } }`;
    expect(
      errorCode(
        await gateway.gql(issue, { ws: workspace.id, id: child.agent.id }, workspace.admin),
      ),
    ).toBe('CONFLICT');
  });

  it('answers VALIDATION_ERROR for a time to live out of bounds or capabilities the parent lacks', async () => {
    const workspace = newWorkspace();
    const lead = await activeAgent(workspace);
    for (const ttlSeconds of [0, -5, 601]) {
      expect(await spawnCode(lead.principal, { ttlSeconds })).toBe('VALIDATION_ERROR');
    }
    expect(await spawnCode(lead.principal, { capabilities: ['deploy'] })).toBe('VALIDATION_ERROR');
    expect(await spawnCode(lead.principal, { name: ' ' })).toBe('VALIDATION_ERROR');
    expect(await typesOf(lead.id)).not.toContain('SubAgentSpawned');
  });

  it('answers LIMIT_EXCEEDED past the live children a parent may have, counting only live ones', async () => {
    const workspace = newWorkspace();
    const lead = await activeAgent(workspace);
    const results = await Promise.all(
      [1, 2, 3].map((n) =>
        gateway.gql(SPAWN, { input: { name: `H${n}`, ttlSeconds: 60 } }, lead.principal),
      ),
    );
    expect(results.map(errorCode).sort()).toEqual([undefined, undefined, 'LIMIT_EXCEEDED'].sort());
    // Waiting does not help: only a child that ends makes room.
    const refused = results.find((result) => errorCode(result) === 'LIMIT_EXCEEDED')!;
    expect(refused.errors![0]!.extensions).toMatchObject({
      retryable: false,
      details: { limit: 2 },
    });

    const [first] = (await agentView(workspace, lead.id)).children;
    await expireNow(first!.id);
    await sweeperA.get(SubAgentsSweeper).sweep();
    await spawn(lead.principal, { name: 'H4' });
  });

  it('ends a child whose time ran out: deactivated, its key revoked once, however many sweep', async () => {
    const workspace = newWorkspace();
    const lead = await activeAgent(workspace);
    const child = await spawn(lead.principal);
    const other = await spawn(lead.principal, { name: 'Still going' });
    await expireNow(child.agent.id);

    await Promise.all(
      [sweeperA, sweeperB, sweeperA, sweeperB].map((app) => app.get(SubAgentsSweeper).sweep()),
    );
    expect((await agentView(workspace, child.agent.id)).status).toBe('INACTIVE');
    expect((await typesOf(child.agent.id)).slice(5)).toEqual([
      'SubAgentEnded',
      'AgentDeactivated',
      'AgentStatusChanged',
      'AgentKeyRevoked',
    ]);
    expect(await endReasons(child.agent.id)).toEqual(['EXPIRED']);
    const ended = await agentEventStore.readStream(
      prismaQueryable(prisma),
      `agent-${child.agent.id}`,
    );
    expect(ended.at(-1)!.metadata.actor).toEqual({ kind: 'system', id: 'agent-sub-agent-sweeper' });
    expect((await agentView(workspace, other.agent.id)).status).toBe('IDLE');
    // An ended child stays ended.
    expect(
      errorCode(
        await gateway.gql(ACTIVATE, { ws: workspace.id, id: child.agent.id }, workspace.admin),
      ),
    ).toBe('CONFLICT');
  });

  it('ends the children of a parent that is deactivated (at once) or goes offline (on the sweep)', async () => {
    const workspace = newWorkspace();
    const deactivated = await activeAgent(workspace, 'Deactivated');
    const children = [await spawn(deactivated.principal), await spawn(deactivated.principal)];
    await gateway.ok(DEACTIVATE, { ws: workspace.id, id: deactivated.id }, workspace.admin);
    for (const child of children) {
      expect((await agentView(workspace, child.agent.id)).status).toBe('INACTIVE');
      expect(await endReasons(child.agent.id)).toEqual(['PARENT_STOPPED']);
      expect(
        (await typesOf(child.agent.id)).filter((type) => type === 'AgentKeyRevoked'),
      ).toHaveLength(1);
    }

    const silent = await activeAgent(workspace, 'Silent');
    const orphan = await spawn(silent.principal);
    await prisma.$executeRaw`UPDATE agent.agents SET status = 'offline' WHERE id = ${silent.id}::uuid`;
    await sweeperB.get(SubAgentsSweeper).sweep();
    expect((await agentView(workspace, orphan.agent.id)).status).toBe('INACTIVE');
    expect(await endReasons(orphan.agent.id)).toEqual(['PARENT_STOPPED']);
  });

  it('never lets another workspace see or spawn from an agent it does not hold', async () => {
    const home = newWorkspace();
    const away = newWorkspace();
    const lead = await activeAgent(home);
    const child = await spawn(lead.principal);
    // The same agent id under another workspace's token: no such parent there.
    expect(await spawnCode(agentPrincipal(away.id, lead.id))).toBe('FORBIDDEN');
    expect(
      errorCode(await gateway.gql(AGENT, { ws: home.id, id: child.agent.id }, away.admin)),
    ).toBe('FORBIDDEN');
    expect(
      errorCode(await gateway.gql(AGENT, { ws: away.id, id: child.agent.id }, away.admin)),
    ).toBe('NOT_FOUND');
  });
});
