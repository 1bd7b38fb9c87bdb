import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { agentPrincipal, memberPrincipal } from '@mission-control/testing';
import { PrismaService } from '../src/database/prisma.service';
import {
  AgentServiceStandIn,
  errorCode,
  GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const ADD = `mutation ($ws: ID!, $id: ID!, $blocker: ID!) {
  addMissionDependency(workspaceId: $ws, missionId: $id, blockerId: $blocker) {
    id isBlocked blockedBy { id title } dependencies { id }
  }
}`;
const REMOVE = `mutation ($ws: ID!, $id: ID!, $blocker: ID!) {
  removeMissionDependency(workspaceId: $ws, missionId: $id, blockerId: $blocker) { id isBlocked }
}`;
const NEXT = `mutation ($ws: ID!) { nextMission(workspaceId: $ws) { id title } }`;
const CLAIM = `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id claimedBy } }`;
const MOVE = `mutation ($ws: ID!, $id: ID!, $column: BoardColumn!) {
  moveMission(workspaceId: $ws, missionId: $id, column: $column) { id column }
}`;
const GET = `query ($ws: ID!, $id: ID!) {
  mission(workspaceId: $ws, id: $id) {
    isBlocked blockedBy { title } dependencies { title } dependants { title } blocks { title }
  }
}`;

type Added = {
  id: string;
  isBlocked: boolean;
  blockedBy: { id: string; title: string }[];
  dependencies: { id: string }[];
};

describe('mission dependencies (PRODUCT M4)', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const started = await startMissionSpecApp('dependencies');
    ({ app, gateway, agents, close } = started);
  });
  afterAll(async () => {
    await close?.();
  });

  const squad = async () => {
    const ws = randomUUID();
    const agentId = await agents.activeAgent(ws);
    return {
      ws,
      commander: memberPrincipal(ws, 'mission_commander'),
      agent: agentPrincipal(ws, agentId),
    };
  };
  const create = async (by: Principal, title: string, column = 'TODO') =>
    (
      await gateway.ok<{ createMission: { id: string } }>(
        `mutation ($ws: ID!, $input: CreateMissionInput!) { createMission(workspaceId: $ws, input: $input) { id } }`,
        { ws: by.workspaceId, input: { title, column } },
        by,
      )
    ).createMission.id;
  const add = (by: Principal, id: string, blocker: string) =>
    gateway.gql<{ addMissionDependency: Added }>(ADD, { ws: by.workspaceId, id, blocker }, by);
  const move = (by: Principal, id: string, column: string) =>
    gateway.ok(MOVE, { ws: by.workspaceId, id, column }, by);
  const next = async (agent: Principal) =>
    (
      await gateway.ok<{ nextMission: { id: string; title: string } | null }>(
        NEXT,
        { ws: agent.workspaceId },
        agent,
      )
    ).nextMission;
  const eventsOf = (missionId: string, type: string) =>
    app.get(PrismaService).event.count({ where: { streamId: `mission-${missionId}`, type } });

  it('records a dependency once and shows the mission blocked by it', async () => {
    const { commander } = await squad();
    const build = await create(commander, 'Build');
    const ship = await create(commander, 'Ship');
    const first = await add(commander, ship, build);
    expect(first.errors).toBeUndefined();
    expect(first.data?.addMissionDependency).toEqual({
      id: ship,
      isBlocked: true,
      blockedBy: [{ id: build, title: 'Build' }],
      dependencies: [{ id: build }],
    });
    expect((await add(commander, ship, build)).errors).toBeUndefined();
    expect(await eventsOf(ship, 'mission.v1.MissionDependencyAdded')).toBe(1);
    const { mission: blocker } = await gateway.ok<{
      mission: { dependants: { title: string }[]; blocks: { title: string }[] };
    }>(GET, { ws: commander.workspaceId, id: build }, commander);
    expect(blocker.dependants).toEqual([{ title: 'Ship' }]);
    expect(blocker.blocks).toEqual([{ title: 'Ship' }]);
    const blocked = await gateway.ok<{
      blockedMissions: { title: string; blockedBy: { title: string }[] }[];
    }>(
      `query ($ws: ID!) { blockedMissions(workspaceId: $ws) { title blockedBy { title } } }`,
      { ws: commander.workspaceId },
      commander,
    );
    expect(blocked.blockedMissions).toEqual([{ title: 'Ship', blockedBy: [{ title: 'Build' }] }]);
  });

  it('refuses a cycle, naming it, and changes nothing', async () => {
    const { commander } = await squad();
    const build = await create(commander, 'Build');
    const test = await create(commander, 'Test');
    const ship = await create(commander, 'Ship');
    await gateway.ok(ADD, { ws: commander.workspaceId, id: test, blocker: build }, commander);
    await gateway.ok(ADD, { ws: commander.workspaceId, id: ship, blocker: test }, commander);
    const refused = await add(commander, build, ship);
    expect(errorCode(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toBe('Would make a cycle: Build → Ship → Test → Build');
    expect(await eventsOf(build, 'mission.v1.MissionDependencyAdded')).toBe(0);
    expect(
      await app.get(PrismaService).missionDependency.count({ where: { missionId: build } }),
    ).toBe(0);
  });

  it('refuses a mission waiting for itself, and a blocker of another workspace or none', async () => {
    const { commander } = await squad();
    const other = await squad();
    const ship = await create(commander, 'Ship');
    const theirs = await create(other.commander, 'Theirs');
    expect(errorCode(await add(commander, ship, ship))).toBe('VALIDATION_ERROR');
    const elsewhere = await add(commander, ship, theirs);
    const missing = await add(commander, ship, randomUUID());
    expect(errorCode(elsewhere)).toBe('NOT_FOUND');
    expect(elsewhere.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    // Nor may one workspace's member make another's mission wait.
    expect(errorCode(await add(commander, theirs, ship))).toBe('NOT_FOUND');
    expect(
      await app.get(PrismaService).missionDependency.count({
        where: { missionId: { in: [ship, theirs] } },
      }),
    ).toBe(0);
  });

  it('lets only one of two concurrent adds that together would close a cycle through', async () => {
    const { commander } = await squad();
    for (let round = 0; round < 5; round += 1) {
      const a = await create(commander, `A${round}`);
      const b = await create(commander, `B${round}`);
      const answers = await Promise.all([add(commander, a, b), add(commander, b, a)]);
      expect(answers.map(errorCode).sort()).toEqual(['CONFLICT', undefined]);
      expect(
        await app.get(PrismaService).missionDependency.count({
          where: { missionId: { in: [a, b] } },
        }),
      ).toBe(1);
    }
  });

  it('never offers a blocked mission, offers it once its blocker is done, and refuses its claim', async () => {
    const { commander, agent } = await squad();
    const build = await create(commander, 'Build', 'BACKLOG');
    const ship = await create(commander, 'Ship');
    await gateway.ok(ADD, { ws: commander.workspaceId, id: ship, blocker: build }, commander);
    expect(await next(agent)).toBeNull();

    // Assigned to the agent, it is still not offered, nor claimed by id.
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
      { ws: commander.workspaceId, id: ship, agent: agent.subject },
      commander,
    );
    expect(await next(agent)).toBeNull();
    const claim = await gateway.gql(CLAIM, { ws: agent.workspaceId, id: ship }, agent);
    expect(errorCode(claim)).toBe('CONFLICT');
    expect(claim.errors?.[0]?.message).toBe('Blocked by: Build');

    await move(commander, build, 'DONE');
    expect(await eventsOf(ship, 'mission.v1.MissionBecameReady')).toBe(1);
    const { mission } = await gateway.ok<{ mission: { isBlocked: boolean } }>(
      GET,
      { ws: commander.workspaceId, id: ship },
      commander,
    );
    expect(mission.isBlocked).toBe(false);
    expect((await next(agent))?.title).toBe('Ship');
  });

  it('makes a dependant ready once, when its last unfinished blocker is done', async () => {
    const { commander } = await squad();
    const build = await create(commander, 'Build');
    const test = await create(commander, 'Test');
    const ship = await create(commander, 'Ship');
    const ws = commander.workspaceId;
    await gateway.ok(ADD, { ws, id: ship, blocker: build }, commander);
    await gateway.ok(ADD, { ws, id: ship, blocker: test }, commander);
    await move(commander, build, 'DONE');
    expect(await eventsOf(ship, 'mission.v1.MissionBecameReady')).toBe(0);
    await move(commander, test, 'DONE');
    expect(await eventsOf(ship, 'mission.v1.MissionBecameReady')).toBe(1);
    // A move within Done is no news.
    await move(commander, test, 'DONE');
    expect(await eventsOf(ship, 'mission.v1.MissionBecameReady')).toBe(1);
  });

  it('makes a mission ready when its last unfinished blocker is removed', async () => {
    const { commander, agent } = await squad();
    const build = await create(commander, 'Build');
    const ship = await create(commander, 'Ship');
    const ws = commander.workspaceId;
    await gateway.ok(ADD, { ws, id: ship, blocker: build }, commander);
    const removed = await gateway.ok<{ removeMissionDependency: { isBlocked: boolean } }>(
      REMOVE,
      { ws, id: ship, blocker: build },
      commander,
    );
    expect(removed.removeMissionDependency.isBlocked).toBe(false);
    expect(await eventsOf(ship, 'mission.v1.MissionBecameReady')).toBe(1);
    // Removing it again changes nothing.
    await gateway.ok(REMOVE, { ws, id: ship, blocker: build }, commander);
    expect(await eventsOf(ship, 'mission.v1.MissionDependencyRemoved')).toBe(1);
    expect((await next(agent))?.title).toBe('Build');
    expect((await next(agent))?.title).toBe('Ship');
  });

  it('refuses dependency changes to members without create_missions and to agents', async () => {
    const { commander, agent } = await squad();
    const build = await create(commander, 'Build');
    const ship = await create(commander, 'Ship');
    const viewer = memberPrincipal(commander.workspaceId!, 'viewer');
    expect(errorCode(await add(viewer, ship, build))).toBe('FORBIDDEN');
    expect(errorCode(await add(agent, ship, build))).toBe('FORBIDDEN');
  });
});
