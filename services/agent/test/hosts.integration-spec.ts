import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { agentPrincipal, memberPrincipal, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { agentTestConfig, errorCode, GatewayStandIn, sleep } from './agent-test-kit';

const REGISTER = `mutation ($ws: ID!, $input: RegisterAgentInput!) { registerAgent(workspaceId: $ws, input: $input) { id } }`;
const HOST = `id hostKey hostname kind os arch cpuCount memoryBytes runnerVersion containerStatus status version
  lastSample { at cpuPercent memoryUsedBytes diskUsedBytes diskTotalBytes } agents { id name }`;
const REPORT = `mutation ($ws: ID!, $input: ReportHostInput!) { reportHost(workspaceId: $ws, input: $input) { ${HOST} } }`;
const SAMPLE = `mutation ($ws: ID!, $host: ID!, $input: HostSampleInput!) {
  reportHostSample(workspaceId: $ws, hostId: $host, input: $input) { ${HOST} }
}`;
const REMOVE = `mutation ($ws: ID!, $id: ID!) { removeHost(workspaceId: $ws, id: $id) { id hostname } }`;
const HOSTS = `query ($ws: ID!, $first: Int, $after: String) {
  hosts(workspaceId: $ws, first: $first, after: $after) { nodes { ${HOST} } pageInfo { endCursor hasNextPage } totalCount }
}`;
const ONE_HOST = `query ($ws: ID!, $id: ID!) { host(workspaceId: $ws, id: $id) { ${HOST} } }`;
const AGENT_HOST = `query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { id host { id hostname status } } }`;

type HostView = {
  id: string;
  hostKey: string;
  hostname: string;
  kind: string;
  cpuCount: number;
  memoryBytes: number;
  containerStatus: string | null;
  status: 'ONLINE' | 'OFFLINE';
  version: number;
  lastSample: { cpuPercent: number; memoryUsedBytes: number; diskTotalBytes: number } | null;
  agents: { id: string; name: string }[];
};

const GIB = 1_073_741_824;
const description = (hostKey: string, extra: Record<string, unknown> = {}) => ({
  hostKey,
  hostname: 'build-01',
  kind: 'SERVER',
  os: 'linux 6.8.0',
  arch: 'x64',
  cpuCount: 8,
  // Past 32 bits, as real memory sizes are.
  memoryBytes: 64 * GIB,
  runnerVersion: '0.1.0',
  ...extra,
});
const usage = (extra: Record<string, unknown> = {}) => ({
  cpuPercent: 42.5,
  memoryUsedBytes: 12 * GIB,
  diskUsedBytes: 100 * GIB,
  diskTotalBytes: 500 * GIB,
  ...extra,
});

describe('runtime hosts', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;

  beforeAll(async () => {
    const config = agentTestConfig({
      AGENT_SCHEMA_FILE: path.join(
        mkdtempSync(path.join(tmpdir(), 'hosts-sdl-')),
        'schema.graphql',
      ),
      AGENT_HOST_OFFLINE_AFTER_SECONDS: '2',
      AGENT_HOST_SAMPLES_PER_MINUTE: '5',
    });
    app = await startServiceApp(AppModule.forRoot(config));
    gateway = new GatewayStandIn(app);
  });

  afterAll(async () => {
    await app.close();
  });

  const newWorkspace = () => {
    const id = randomUUID();
    return {
      id,
      admin: memberPrincipal(id, 'admin'),
      viewer: memberPrincipal(id, 'viewer'),
    };
  };
  type Workspace = ReturnType<typeof newWorkspace>;

  const newAgent = async (workspace: Workspace, name: string) => {
    const { registerAgent } = await gateway.ok<{ registerAgent: { id: string } }>(
      REGISTER,
      { ws: workspace.id, input: { name, role: 'specialist' } },
      workspace.admin,
    );
    return { id: registerAgent.id, principal: agentPrincipal(workspace.id, registerAgent.id) };
  };

  const report = async (workspace: Workspace, agent: Principal, input: Record<string, unknown>) =>
    (await gateway.ok<{ reportHost: HostView }>(REPORT, { ws: workspace.id, input }, agent))
      .reportHost;

  const sample = (
    workspace: Workspace,
    agent: Principal,
    hostId: string,
    input: Record<string, unknown> = usage(),
  ) =>
    gateway.gql<{ reportHostSample: HostView }>(
      SAMPLE,
      { ws: workspace.id, host: hostId, input },
      agent,
    );

  const streamTypes = async (hostId: string) =>
    (
      await app.get(PrismaService).event.findMany({
        where: { streamId: `host-${hostId}` },
        orderBy: { version: 'asc' },
        select: { type: true },
      })
    ).map((event) => event.type.replace('agent.v1.', ''));

  it('registers the host an agent reports, once, and links the agent to it', async () => {
    const workspace = newWorkspace();
    const scout = await newAgent(workspace, 'Scout');
    const hostKey = `runner-${randomUUID()}`;

    const host = await report(workspace, scout.principal, description(hostKey));
    const again = await report(workspace, scout.principal, description(hostKey));

    expect(host).toMatchObject({
      hostKey,
      hostname: 'build-01',
      kind: 'SERVER',
      cpuCount: 8,
      memoryBytes: 64 * GIB,
      status: 'OFFLINE',
      lastSample: null,
      agents: [{ id: scout.id, name: 'Scout' }],
    });
    expect(again).toMatchObject({ id: host.id, version: host.version });
    expect(await streamTypes(host.id)).toEqual(['HostRegistered', 'AgentPlacedOnHost']);
    const { agent } = await gateway.ok<{ agent: { host: { id: string } | null } }>(
      AGENT_HOST,
      { ws: workspace.id, id: scout.id },
      workspace.viewer,
    );
    expect(agent.host?.id).toBe(host.id);

    const changed = await report(
      workspace,
      scout.principal,
      description(hostKey, { kind: 'CONTAINER', cpuCount: 16, containerStatus: 'running' }),
    );
    expect(changed).toMatchObject({
      id: host.id,
      kind: 'CONTAINER',
      cpuCount: 16,
      containerStatus: 'running',
      version: host.version + 1,
    });
    expect(await streamTypes(host.id)).toEqual([
      'HostRegistered',
      'AgentPlacedOnHost',
      'HostUpdated',
    ]);
  });

  it('keeps an agent on one host: a report from another host moves it', async () => {
    const workspace = newWorkspace();
    const [scout, nova] = await Promise.all([
      newAgent(workspace, 'Scout'),
      newAgent(workspace, 'Nova'),
    ]);
    const first = `runner-${randomUUID()}`;
    const second = `runner-${randomUUID()}`;
    // Two agents of a new host at once: one host.
    const [a, b] = await Promise.all([
      report(workspace, scout.principal, description(first)),
      report(workspace, nova.principal, description(first)),
    ]);
    expect(a.id).toBe(b.id);

    const other = await report(
      workspace,
      nova.principal,
      description(second, { hostname: 'build-02' }),
    );

    const { hosts } = await gateway.ok<{
      hosts: { nodes: HostView[]; totalCount: number; pageInfo: { hasNextPage: boolean } };
    }>(HOSTS, { ws: workspace.id }, workspace.viewer);
    expect(hosts.totalCount).toBe(2);
    expect(hosts.nodes.map((host) => [host.hostname, host.agents.map((x) => x.name)])).toEqual([
      ['build-01', ['Scout']],
      ['build-02', ['Nova']],
    ]);
    expect(other.agents.map((agent) => agent.id)).toEqual([nova.id]);

    const page = await gateway.ok<{
      hosts: { nodes: HostView[]; pageInfo: { endCursor: string; hasNextPage: boolean } };
    }>(HOSTS, { ws: workspace.id, first: 1 }, workspace.viewer);
    expect(page.hosts.pageInfo.hasNextPage).toBe(true);
    const next = await gateway.ok<{
      hosts: { nodes: HostView[]; pageInfo: { hasNextPage: boolean } };
    }>(
      HOSTS,
      { ws: workspace.id, first: 1, after: page.hosts.pageInfo.endCursor },
      workspace.viewer,
    );
    expect(next.hosts.nodes.map((host) => host.hostname)).toEqual(['build-02']);
    expect(next.hosts.pageInfo.hasNextPage).toBe(false);
  });

  it('keeps a sampled host online until samples stop, then shows it offline', async () => {
    const workspace = newWorkspace();
    const scout = await newAgent(workspace, 'Scout');
    const host = await report(workspace, scout.principal, description(`runner-${randomUUID()}`));

    const body = await sample(
      workspace,
      scout.principal,
      host.id,
      usage({ containerStatus: 'running' }),
    );

    expect(body.errors).toBeUndefined();
    expect(body.data?.reportHostSample).toMatchObject({
      status: 'ONLINE',
      containerStatus: 'running',
      lastSample: { cpuPercent: 42.5, memoryUsedBytes: 12 * GIB, diskTotalBytes: 500 * GIB },
    });
    expect(await streamTypes(host.id)).toEqual([
      'HostRegistered',
      'AgentPlacedOnHost',
      'HostSampled',
    ]);
    await sleep(2_500);
    const { host: later } = await gateway.ok<{ host: HostView }>(
      ONE_HOST,
      { ws: workspace.id, id: host.id },
      workspace.viewer,
    );
    expect(later.status).toBe('OFFLINE');
    expect(later.lastSample?.cpuPercent).toBe(42.5);
  });

  it('refuses bad reports and samples with coded errors', async () => {
    const workspace = newWorkspace();
    const other = newWorkspace();
    const [scout, stranger, outsider] = await Promise.all([
      newAgent(workspace, 'Scout'),
      newAgent(workspace, 'Stranger'),
      newAgent(other, 'Outsider'),
    ]);
    const host = await report(workspace, scout.principal, description(`runner-${randomUUID()}`));

    const byPerson = await gateway.gql(
      REPORT,
      { ws: workspace.id, input: description('k') },
      workspace.admin,
    );
    const negative = await gateway.gql(
      REPORT,
      { ws: workspace.id, input: description('k', { memoryBytes: -1 }) },
      scout.principal,
    );
    const badSample = await sample(workspace, scout.principal, host.id, usage({ cpuPercent: -5 }));
    const unknown = await sample(workspace, scout.principal, randomUUID());
    const notOnIt = await sample(workspace, stranger.principal, host.id);
    const elsewhere = await sample(other, outsider.principal, host.id);
    const readElsewhere = await gateway.gql(ONE_HOST, { ws: other.id, id: host.id }, other.admin);
    const wrongWorkspace = await sample(other, scout.principal, host.id);

    expect(errorCode(byPerson)).toBe('FORBIDDEN');
    expect(errorCode(negative)).toBe('VALIDATION_ERROR');
    expect(negative.errors?.[0]?.message).toMatch(/memoryBytes/);
    expect(errorCode(badSample)).toBe('VALIDATION_ERROR');
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect(errorCode(notOnIt)).toBe('FORBIDDEN');
    expect(errorCode(elsewhere)).toBe('NOT_FOUND');
    expect(errorCode(readElsewhere)).toBe('NOT_FOUND');
    expect(errorCode(wrongWorkspace)).toBe('FORBIDDEN');
    expect(JSON.stringify([elsewhere, readElsewhere])).not.toContain('build-01');
  });

  it('rate limits samples per host', async () => {
    const workspace = newWorkspace();
    const scout = await newAgent(workspace, 'Scout');
    const host = await report(workspace, scout.principal, description(`runner-${randomUUID()}`));

    const codes: (string | undefined)[] = [];
    for (let index = 0; index < 6; index += 1) {
      codes.push(errorCode(await sample(workspace, scout.principal, host.id)));
    }

    // Five a minute here; a window may end between two calls, so the sixth may pass.
    expect(codes.slice(0, 5)).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect([undefined, 'LIMIT_EXCEEDED']).toContain(codes[5]);
  });

  it('removes a host with manage_agents; its runner reporting again makes a new one', async () => {
    const workspace = newWorkspace();
    const scout = await newAgent(workspace, 'Scout');
    const hostKey = `runner-${randomUUID()}`;
    const host = await report(workspace, scout.principal, description(hostKey));

    const byViewer = await gateway.gql(REMOVE, { ws: workspace.id, id: host.id }, workspace.viewer);
    const removed = await gateway.ok<{ removeHost: { id: string } }>(
      REMOVE,
      { ws: workspace.id, id: host.id },
      workspace.admin,
    );
    const gone = await gateway.gql(ONE_HOST, { ws: workspace.id, id: host.id }, workspace.viewer);
    const { agent } = await gateway.ok<{ agent: { host: unknown } }>(
      AGENT_HOST,
      { ws: workspace.id, id: scout.id },
      workspace.viewer,
    );
    const back = await report(workspace, scout.principal, description(hostKey));

    expect(errorCode(byViewer)).toBe('FORBIDDEN');
    expect(removed.removeHost.id).toBe(host.id);
    expect(errorCode(gone)).toBe('NOT_FOUND');
    expect(agent.host).toBeNull();
    expect(back.id).not.toBe(host.id);
    expect(back.agents.map((x) => x.id)).toEqual([scout.id]);
    expect(await streamTypes(host.id)).toEqual([
      'HostRegistered',
      'AgentPlacedOnHost',
      'HostRemoved',
    ]);
  });
});
