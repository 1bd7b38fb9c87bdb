import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { agentPrincipal, memberPrincipal, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import {
  AgentServiceStandIn,
  errorCode,
  GatewayStandIn,
  missionTestConfig,
} from './mission-test-kit';

const NEXT = `mutation ($ws: ID!) {
  nextMission(workspaceId: $ws) { id title assigneeAgentId claimedBy claimEpoch leaseExpiresAt column }
}`;
type Offered = {
  id: string;
  title: string;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  claimEpoch: number;
  leaseExpiresAt: string | null;
};

describe('dispatch: nextMission', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;

  beforeAll(async () => {
    const config = missionTestConfig({
      MISSION_SCHEMA_FILE: path.join(
        mkdtempSync(path.join(tmpdir(), 'dispatch-sdl-')),
        'schema.graphql',
      ),
    });
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app);
    agents = new AgentServiceStandIn(app, config);
  });
  afterAll(async () => {
    await agents?.close();
    await app?.close();
  });

  /** A workspace of its own (its own queue), its commander, and `count` active agents. */
  const squad = async (count: number) => {
    const ws = randomUUID();
    const ids = await Promise.all(Array.from({ length: count }, () => agents.activeAgent(ws)));
    return {
      ws,
      commander: memberPrincipal(ws, 'mission_commander'),
      agents: ids.map((id) => agentPrincipal(ws, id)),
    };
  };
  const create = async (
    by: Principal,
    title: string,
    input: { column?: string; priority?: string } = {},
  ) =>
    (
      await gateway.ok<{ createMission: { id: string } }>(
        `mutation ($ws: ID!, $input: CreateMissionInput!) { createMission(workspaceId: $ws, input: $input) { id } }`,
        { ws: by.workspaceId, input: { title, column: 'TODO', ...input } },
        by,
      )
    ).createMission.id;
  const next = async (agent: Principal) =>
    (await gateway.ok<{ nextMission: Offered | null }>(NEXT, { ws: agent.workspaceId }, agent))
      .nextMission;

  it('offers an agent its own missions first, then the queue by priority, and claims it', async () => {
    const {
      commander,
      agents: [scout, rover],
    } = await squad(2);
    await create(commander, 'Medium in the queue', { priority: 'MEDIUM' });
    await create(commander, 'Urgent in the queue', { priority: 'URGENT' });
    const mine = await create(commander, 'Low, but assigned to scout', {
      priority: 'LOW',
      column: 'BACKLOG',
    });
    const rovers = await create(commander, 'Rover’s own', { priority: 'URGENT' });
    for (const [id, agent] of [
      [mine, scout],
      [rovers, rover],
    ] as const) {
      await gateway.ok(
        `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
        { ws: commander.workspaceId, id, agent: agent!.subject },
        commander,
      );
    }
    const first = await next(scout!);
    expect(first).toMatchObject({
      title: 'Low, but assigned to scout',
      assigneeAgentId: scout!.subject,
      claimedBy: scout!.subject,
      claimEpoch: 1,
    });
    expect(Date.parse(first!.leaseExpiresAt!)).toBeGreaterThan(Date.now());
    expect((await next(scout!))?.title).toBe('Urgent in the queue');
    expect((await next(scout!))?.title).toBe('Medium in the queue');
    // Rover's own mission is rover's: never offered to scout.
    expect(await next(scout!)).toBeNull();
    expect((await next(rover!))?.title).toBe('Rover’s own');
  });

  it('raises a mission one level for each day it waited, so old low work is not starved', async () => {
    const {
      commander,
      agents: [scout],
    } = await squad(1);
    await create(commander, 'Urgent, new', { priority: 'URGENT' });
    const old = await create(commander, 'Low, waiting for four days', { priority: 'LOW' });
    await app.get(PrismaService).mission.update({
      where: { id: old },
      data: { createdAt: new Date(Date.now() - 4 * 24 * 3_600_000) },
    });
    expect((await next(scout!))?.title).toBe('Low, waiting for four days');
  });

  it('never offers work in review, done or blocked, claimed, or of another workspace', async () => {
    const {
      commander,
      agents: [scout],
    } = await squad(1);
    for (const column of ['REVIEW', 'DONE', 'BLOCKED', 'BACKLOG', 'IN_PROGRESS']) {
      await create(commander, `Unassigned in ${column}`, { column });
    }
    const other = await squad(1);
    await create(other.commander, 'Another workspace’s');
    expect(await next(scout!)).toBeNull();
  });

  it('answers people and inactive agents with a coded error', async () => {
    const { ws, commander } = await squad(0);
    expect(errorCode(await gateway.gql(NEXT, { ws }, commander))).toBe('FORBIDDEN');
    const sleeper = agentPrincipal(ws, await agents.registeredAgent(ws));
    expect(errorCode(await gateway.gql(NEXT, { ws }, sleeper))).toBe('FORBIDDEN');
    const outsider = agentPrincipal(randomUUID());
    expect(errorCode(await gateway.gql(NEXT, { ws }, outsider))).toBe('FORBIDDEN');
  });

  it('gives each of 1,000 missions to exactly one of 200 agents asking at once', async () => {
    const MISSIONS = 1_000;
    const { commander, agents: crew } = await squad(200);
    for (let from = 0; from < MISSIONS; from += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => create(commander, `Sector ${from + i}`)),
      );
    }
    const started = Date.now();
    const taken = new Map<string, string[]>();
    const latencies: number[] = [];
    let failure: unknown;
    await Promise.all(
      crew.map(async (agent) => {
        while (failure === undefined) {
          const asked = Date.now();
          const answer = await gateway.gql<{ nextMission: Offered | null }>(
            NEXT,
            { ws: agent.workspaceId },
            agent,
          );
          latencies.push(Date.now() - asked);
          if (answer.errors?.[0]?.extensions?.retryable === true) {
            // As an agent would: a busy server says when to try again.
            await new Promise((resolve) => setTimeout(resolve, 200));
            continue;
          }
          if (answer.errors || !answer.data) {
            failure = answer.errors;
            return;
          }
          const offered = answer.data.nextMission;
          if (!offered) {
            return;
          }
          expect(offered.claimedBy).toBe(agent.subject);
          taken.set(offered.id, [...(taken.get(offered.id) ?? []), agent.subject]);
        }
      }),
    );
    expect(failure).toBeUndefined();
    const seconds = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    process.stdout.write(
      `dispatch: ${MISSIONS} missions to 200 agents in ${seconds.toFixed(1)} s (${Math.round(MISSIONS / seconds)} claims/s, p99 ${latencies[Math.floor(latencies.length * 0.99)]} ms)\n`,
    );
    expect(taken.size).toBe(MISSIONS);
    expect([...taken.values()].filter((holders) => holders.length > 1)).toEqual([]);
    const claimed = await app.get(PrismaService).mission.count({
      where: { workspaceId: commander.workspaceId!, claimedBy: { not: null } },
    });
    expect(claimed).toBe(MISSIONS);
  }, 180_000);
});
