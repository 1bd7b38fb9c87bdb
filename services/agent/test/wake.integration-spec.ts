import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { missionV1 } from '@mission-control/proto';
import {
  agentPrincipal,
  memberPrincipal,
  startServiceApp,
  until,
  WakeReceiver,
} from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import {
  agentTestConfig,
  errorCode,
  GatewayStandIn,
  MissionServiceStandIn,
  sleep,
} from './agent-test-kit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const REGISTER = `mutation ($ws: ID!, $input: RegisterAgentInput!) { registerAgent(workspaceId: $ws, input: $input) { id } }`;
const ACTIVATE = `mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id status } }`;
const HEARTBEAT = `mutation ($status: HeartbeatStatus!) { heartbeat(status: $status) { id status } }`;
const WAKE_HOOK = `url createdAt lastDelivery { webhookId reason missionId status attempts at nextAttemptAt statusCode error }`;
const SET_HOOK = `mutation ($ws: ID!, $id: ID!, $url: String!) {
  setAgentWakeHook(workspaceId: $ws, agentId: $id, url: $url) { secret wakeHook { ${WAKE_HOOK} } agent { id } }
}`;
const REMOVE_HOOK = `mutation ($ws: ID!, $id: ID!) { removeAgentWakeHook(workspaceId: $ws, agentId: $id) { id wakeHook { url } } }`;
const AGENT = `query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { id wakeHook { ${WAKE_HOOK} } } }`;

type Delivery = {
  webhookId: string;
  reason: string;
  missionId: string;
  status: string;
  attempts: number;
  statusCode: number | null;
  error: string | null;
  nextAttemptAt: string | null;
};
type WakeHookView = { url: string | null; createdAt: string; lastDelivery: Delivery | null };

const noSchemaFile = () =>
  path.join(mkdtempSync(path.join(tmpdir(), 'wake-sdl-')), 'schema.graphql');

describe('agent wake hooks', () => {
  const receiver = new WakeReceiver();
  let app: INestApplication;
  let strictApp: INestApplication;
  let gateway: GatewayStandIn;
  let strict: GatewayStandIn;
  let missions: MissionServiceStandIn;

  beforeAll(async () => {
    await receiver.start();
    const config = agentTestConfig({
      AGENT_SCHEMA_FILE: noSchemaFile(),
      AGENT_OFFLINE_AFTER_SECONDS: '3600',
      AGENT_HEARTBEATS_PER_MINUTE: '1000',
      AGENT_WAKE_ALLOW_PRIVATE_URLS: 'true',
      AGENT_WAKE_RETRY_BASE_MS: '100',
      AGENT_WAKE_RETRY_MAX_MS: '400',
      AGENT_WAKE_POLL_INTERVAL_MS: '50',
      // A burst is one or two POSTs however slow this machine handles its 50 events.
      AGENT_WAKE_MIN_INTERVAL_MS: '3000',
      AGENT_WAKE_TIMEOUT_MS: '2000',
    });
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app);
    missions = new MissionServiceStandIn(config);
    // As in production: private targets refused.
    strictApp = await startServiceApp(
      AppModule.forRoot(
        agentTestConfig({
          AGENT_SCHEMA_FILE: noSchemaFile(),
          AGENT_WAKE_ALLOW_PRIVATE_URLS: 'false',
          NODE_ENV: 'production',
          // Sends nothing: the wakes of this database are the first instance's to send.
          AGENT_WAKE_POLL_INTERVAL_MS: '3600000',
        }),
      ),
    );
    strict = new GatewayStandIn(strictApp);
  });

  afterAll(async () => {
    await missions.close();
    await strictApp.close();
    await app.close();
    await receiver.close();
  });

  const newWorkspace = () => {
    const id = randomUUID();
    return { id, admin: memberPrincipal(id, 'admin') };
  };
  type Workspace = ReturnType<typeof newWorkspace>;

  /** An active (idle) agent whose wake URL is the receiver's, the receiver trusting its secret. */
  const wokenAgent = async (workspace: Workspace) => {
    const { registerAgent } = await gateway.ok<{ registerAgent: { id: string } }>(
      REGISTER,
      { ws: workspace.id, input: { name: 'Sleeper', role: 'specialist' } },
      workspace.admin,
    );
    const agentId = registerAgent.id;
    await gateway.ok(ACTIVATE, { ws: workspace.id, id: agentId }, workspace.admin);
    const { setAgentWakeHook } = await gateway.ok<{
      setAgentWakeHook: { secret: string; wakeHook: WakeHookView };
    }>(SET_HOOK, { ws: workspace.id, id: agentId, url: receiver.urlOf(agentId) }, workspace.admin);
    receiver.trust(agentId, setAgentWakeHook.secret);
    return { agentId, ...setAgentWakeHook };
  };

  const hookOf = async (
    workspace: Workspace,
    agentId: string,
    principal: Principal = workspace.admin,
  ) =>
    (
      await gateway.ok<{ agent: { wakeHook: WakeHookView | null } }>(
        AGENT,
        { ws: workspace.id, id: agentId },
        principal,
      )
    ).agent.wakeHook;

  const assign = (workspace: Workspace, agentId: string, missionId = randomUUID()) =>
    missions
      .publish(workspace.id, missionId, {
        type: 'mission.v1.MissionAssigned',
        data: { missionId, agentId },
      })
      .then(() => missionId);

  const lastDeliveryIs = (workspace: Workspace, agentId: string, status: string) =>
    until(
      async () => (await hookOf(workspace, agentId))?.lastDelivery?.status === status,
      `the wake of ${agentId} ${status}`,
    );

  it('shows the secret once, in the Standard Webhooks format, and the URL to managers only', async () => {
    const workspace = newWorkspace();
    const { agentId, secret, wakeHook } = await wokenAgent(workspace);

    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(wakeHook).toMatchObject({ url: receiver.urlOf(agentId), lastDelivery: null });
    const read = await hookOf(workspace, agentId);
    expect(read).toMatchObject({ url: receiver.urlOf(agentId), lastDelivery: null });
    expect(JSON.stringify(read)).not.toContain(secret);
    expect(await hookOf(workspace, agentId, memberPrincipal(workspace.id, 'viewer'))).toMatchObject(
      { url: null },
    );
    // Nowhere in the agent's events either.
    const prisma = app.get(PrismaService);
    const events = await prisma.event.findMany({ where: { streamId: `agent-${agentId}` } });
    expect(events.map((event) => event.type)).toContain('agent.v1.AgentWakeHookSet');
    const secretBytes = Buffer.from(secret);
    for (const event of events) {
      expect(Buffer.from(event.payload).includes(secretBytes)).toBe(false);
      expect(JSON.stringify(event.metadata)).not.toContain(secret);
    }
  });

  it('POSTs one signed wake to the agent a mission is assigned to', async () => {
    const workspace = newWorkspace();
    const { agentId } = await wokenAgent(workspace);

    const missionId = await assign(workspace, agentId);

    await lastDeliveryIs(workspace, agentId, 'DELIVERED');
    const received = receiver.of(agentId);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({
      verified: true,
      body: {
        type: 'agent.wake',
        data: { workspaceId: workspace.id, agentId, reason: 'assigned', missionId },
      },
    });
    expect(Date.parse(received[0]!.body?.timestamp ?? '')).not.toBeNaN();
    expect((await hookOf(workspace, agentId))?.lastDelivery).toMatchObject({
      webhookId: received[0]!.webhookId,
      reason: 'ASSIGNED',
      missionId,
      attempts: 1,
      statusCode: 200,
      error: null,
    });
  });

  it('wakes an idle agent once or twice for 50 missions arriving in To do, and a busy agent not at all', async () => {
    const workspace = newWorkspace();
    const idle = await wokenAgent(workspace);
    const busy = await wokenAgent(workspace);
    const busyAgent = new GatewayStandIn(app);
    await busyAgent.ok(HEARTBEAT, { status: 'BUSY' }, agentPrincipal(workspace.id, busy.agentId));

    const prisma = app.get(PrismaService);
    const handled = () =>
      prisma.inboxEntry.count({ where: { consumer: { contains: 'agent-spec.mission' } } });
    const before = await handled();
    const missionIds = Array.from({ length: 50 }, () => randomUUID());
    // A burst, as the mission service's relay publishes one: created in To do, or moved there.
    await missions.publishBatch(
      workspace.id,
      missionIds.map((missionId, index) =>
        index % 2 === 0
          ? {
              missionId,
              type: 'mission.v1.MissionCreated',
              data: {
                missionId,
                title: `Mission ${index}`,
                column: missionV1.BoardColumn.TODO,
                workspaceId: workspace.id,
              },
            }
          : {
              missionId,
              type: 'mission.v1.MissionMoved',
              data: {
                missionId,
                fromColumn: missionV1.BoardColumn.BACKLOG,
                toColumn: missionV1.BoardColumn.TODO,
              },
            },
      ),
    );

    await until(async () => (await handled()) >= before + 50, 'the 50 mission events handled');
    await until(async () => {
      const deliveries = await prisma.wakeDelivery.findMany({ where: { agentId: idle.agentId } });
      return (
        deliveries.length > 0 && deliveries.every((delivery) => delivery.status === 'delivered')
      );
    }, 'the idle agent woken');
    await sleep(300);
    const received = receiver.of(idle.agentId);
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received.length).toBeLessThanOrEqual(2);
    expect(
      received.every((entry) => entry.verified && entry.body?.data.reason === 'available'),
    ).toBe(true);
    expect(missionIds).toContain(received[received.length - 1]!.body?.data.missionId);
    expect(receiver.of(busy.agentId)).toHaveLength(0);
    expect(await hookOf(workspace, busy.agentId)).toMatchObject({ lastDelivery: null });
  });

  it('retries a 5xx with backoff under the same webhook id, and delivers on the third attempt', async () => {
    const workspace = newWorkspace();
    const { agentId } = await wokenAgent(workspace);
    receiver.answer(agentId, 500, 503);

    await assign(workspace, agentId);

    await lastDeliveryIs(workspace, agentId, 'DELIVERED');
    const received = receiver.of(agentId);
    expect(received).toHaveLength(3);
    expect(new Set(received.map((entry) => entry.webhookId)).size).toBe(1);
    expect(received.every((entry) => entry.verified)).toBe(true);
    expect((await hookOf(workspace, agentId))?.lastDelivery).toMatchObject({
      webhookId: received[0]!.webhookId,
      attempts: 3,
      statusCode: 200,
    });
  });

  it('shows a wake being retried, with the error and when it is tried next', async () => {
    const workspace = newWorkspace();
    const { agentId } = await wokenAgent(workspace);
    receiver.answer(agentId, 503, 503, 503, 503, 503, 503, 503, 503);

    await assign(workspace, agentId);

    await lastDeliveryIs(workspace, agentId, 'RETRYING');
    expect((await hookOf(workspace, agentId))?.lastDelivery).toMatchObject({
      statusCode: 503,
      error: 'HTTP 503',
      nextAttemptAt: expect.any(String),
    });
    // It gives up after the last attempt (8 by default).
    await lastDeliveryIs(workspace, agentId, 'FAILED');
    expect(receiver.of(agentId)).toHaveLength(8);
    expect((await hookOf(workspace, agentId))?.lastDelivery?.error).toBe(
      'HTTP 503 (gave up after 8 attempts)',
    );
  });

  it('ends a wake the URL refuses with a 4xx as failed, without retrying it', async () => {
    const workspace = newWorkspace();
    const { agentId } = await wokenAgent(workspace);
    receiver.answer(agentId, 400);

    await assign(workspace, agentId);

    await lastDeliveryIs(workspace, agentId, 'FAILED');
    await sleep(600);
    expect(receiver.of(agentId)).toHaveLength(1);
    expect((await hookOf(workspace, agentId))?.lastDelivery).toMatchObject({
      status: 'FAILED',
      attempts: 1,
      statusCode: 400,
      error: 'HTTP 400',
    });
  });

  it('rotates the secret when set again, and stops waking once removed', async () => {
    const workspace = newWorkspace();
    const first = await wokenAgent(workspace);
    const { setAgentWakeHook } = await gateway.ok<{ setAgentWakeHook: { secret: string } }>(
      SET_HOOK,
      { ws: workspace.id, id: first.agentId, url: receiver.urlOf(first.agentId) },
      workspace.admin,
    );
    expect(setAgentWakeHook.secret).not.toBe(first.secret);

    // The receiver still trusts the old secret: the new signature does not verify with it.
    await assign(workspace, first.agentId);
    await lastDeliveryIs(workspace, first.agentId, 'DELIVERED');
    expect(receiver.of(first.agentId).map((entry) => entry.verified)).toEqual([false]);

    const removed = await gateway.ok<{ removeAgentWakeHook: { wakeHook: null } }>(
      REMOVE_HOOK,
      { ws: workspace.id, id: first.agentId },
      workspace.admin,
    );
    expect(removed.removeAgentWakeHook.wakeHook).toBeNull();
    await assign(workspace, first.agentId);
    await sleep(500);
    expect(receiver.of(first.agentId)).toHaveLength(1);
  });

  it('answers NOT_FOUND for another workspace’s agent, FORBIDDEN without manage_agents, VALIDATION_ERROR for a bad URL', async () => {
    const workspace = newWorkspace();
    const other = newWorkspace();
    const { agentId } = await wokenAgent(other);
    const url = 'https://agents.example.com/wake';

    expect(
      errorCode(
        await gateway.gql(SET_HOOK, { ws: workspace.id, id: agentId, url }, workspace.admin),
      ),
    ).toBe('NOT_FOUND');
    expect(
      errorCode(await gateway.gql(REMOVE_HOOK, { ws: workspace.id, id: agentId }, workspace.admin)),
    ).toBe('NOT_FOUND');
    for (const role of ['viewer', 'mission_commander'] as const) {
      const person = memberPrincipal(other.id, role);
      expect(
        errorCode(await gateway.gql(SET_HOOK, { ws: other.id, id: agentId, url }, person)),
      ).toBe('FORBIDDEN');
      expect(errorCode(await gateway.gql(REMOVE_HOOK, { ws: other.id, id: agentId }, person))).toBe(
        'FORBIDDEN',
      );
    }
    // An agent operator may.
    await gateway.ok(
      SET_HOOK,
      { ws: other.id, id: agentId, url },
      memberPrincipal(other.id, 'agent_operator'),
    );
    // Another workspace's admin learns nothing from a bad URL: access is checked first.
    expect(
      errorCode(
        await gateway.gql(SET_HOOK, { ws: other.id, id: agentId, url: 'nope' }, workspace.admin),
      ),
    ).toBe('FORBIDDEN');

    for (const [bad, message] of [
      ['ftp://example.com/wake', 'url: must start with https:// or http://'],
      ['example.com/wake', 'url: must be an absolute URL such as https://agents.example.com/wake'],
      [`https://example.com/${'a'.repeat(2_100)}`, 'url: must be at most 2048 characters'],
    ]) {
      const body = await gateway.gql(
        SET_HOOK,
        { ws: other.id, id: agentId, url: bad },
        other.admin,
      );
      expect(errorCode(body)).toBe('VALIDATION_ERROR');
      expect(body.errors?.[0]?.message).toBe(message);
    }
  });

  it('refuses loopback and private URLs where they are not allowed (production)', async () => {
    const workspace = newWorkspace();
    const strictAgent = (
      await strict.ok<{ registerAgent: { id: string } }>(
        REGISTER,
        { ws: workspace.id, input: { name: 'Cloud', role: 'specialist' } },
        workspace.admin,
      )
    ).registerAgent.id;
    for (const url of [
      'http://127.0.0.1:8080/wake',
      'http://169.254.169.254/latest',
      'http://localhost/x',
    ]) {
      const body = await strict.gql(
        SET_HOOK,
        { ws: workspace.id, id: strictAgent, url },
        workspace.admin,
      );
      expect(errorCode(body)).toBe('VALIDATION_ERROR');
      expect(body.errors?.[0]?.message).toBe(
        'url: must point to a public address, not a loopback, private or link-local one',
      );
    }
    await strict.ok(
      SET_HOOK,
      { ws: workspace.id, id: strictAgent, url: 'https://agents.example.com/wake' },
      workspace.admin,
    );
  });
});
