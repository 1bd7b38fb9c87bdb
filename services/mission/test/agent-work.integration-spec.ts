import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { agentPrincipal, memberPrincipal } from '@mission-control/testing';
import { AgentWorkRepository } from '../src/agent-work/agent-work.repository';
import {
  type AgentServiceStandIn,
  errorCode,
  type GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const BOARD = `query ($ws: ID!) {
  board(workspaceId: $ws) { columns { column missions { id title activeRun { id agentId status } } } }
}`;
const CLAIMED = `query ($ws: ID!, $agent: ID!) {
  claimedMissions(workspaceId: $ws, agentId: $agent) {
    id title claimedBy leaseExpiresAt activeRun { id startedAt }
  }
}`;
const RUNS = `query ($ws: ID!, $agent: ID) {
  runs(workspaceId: $ws, agentId: $agent) { nodes { id mission { id title } } }
}`;

type Card = { id: string; title: string; activeRun: { id: string; agentId: string } | null };
type Claimed = {
  id: string;
  title: string;
  claimedBy: string;
  leaseExpiresAt: string;
  activeRun: { id: string } | null;
};

describe('who is at work on what: claims, running runs on cards, runs’ missions', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;
  const ws = randomUUID();
  const commander = memberPrincipal(ws, 'mission_commander');
  const viewer = memberPrincipal(ws, 'viewer');
  const outsider = memberPrincipal(randomUUID(), 'admin');
  let scout: Principal;
  let rover: Principal;

  beforeAll(async () => {
    ({ app, gateway, agents, close } = await startMissionSpecApp('agent-work'));
    scout = agentPrincipal(ws, await agents.activeAgent(ws));
    rover = agentPrincipal(ws, await agents.activeAgent(ws));
  });
  afterAll(() => close?.());

  const mission = async (title: string): Promise<string> =>
    (
      await gateway.ok<{ createMission: { id: string } }>(
        `mutation ($ws: ID!, $title: String!) { createMission(workspaceId: $ws, input: { title: $title, column: TODO }) { id } }`,
        { ws, title },
        commander,
      )
    ).createMission.id;
  const claimed = async (agent: Principal, title: string): Promise<string> => {
    const id = await mission(title);
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
      { ws, id, agent: agent.subject },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }`,
      { ws, id },
      agent,
    );
    return id;
  };
  const start = async (agent: Principal, missionId: string): Promise<string> =>
    (
      await gateway.ok<{ startRun: { id: string } }>(
        `mutation ($ws: ID!, $id: ID!) { startRun(workspaceId: $ws, missionId: $id, input: { adapter: "shell", model: "m", provider: "p" }) { id } }`,
        { ws, id: missionId },
        agent,
      )
    ).startRun.id;
  const finish = (agent: Principal, runId: string) =>
    gateway.ok(
      `mutation ($ws: ID!, $run: ID!) { finishRun(workspaceId: $ws, runId: $run, outcome: SUCCEEDED) { id } }`,
      { ws, run: runId },
      agent,
    );
  const cards = async (by: Principal = viewer): Promise<Map<string, Card>> => {
    const { board } = await gateway.ok<{ board: { columns: { missions: Card[] }[] } }>(
      BOARD,
      { ws },
      by,
    );
    return new Map(board.columns.flatMap((c) => c.missions).map((card) => [card.id, card]));
  };

  it('shows each card’s running run and who runs it, and nothing once it ended', async () => {
    const idle = await mission('Nobody on it');
    const dunes = await claimed(scout, 'Scan the dunes');
    const craters = await claimed(rover, 'Count the craters');
    const dunesRun = await start(scout, dunes);
    const cratersRun = await start(rover, craters);

    const before = await cards();
    expect(before.get(idle)?.activeRun).toBeNull();
    expect(before.get(dunes)?.activeRun).toEqual({
      id: dunesRun,
      agentId: scout.subject,
      status: 'RUNNING',
    });
    expect(before.get(craters)?.activeRun).toMatchObject({
      id: cratersRun,
      agentId: rover.subject,
    });

    // The whole board's cards take one read of running runs.
    const reads = jest.spyOn(app.get(AgentWorkRepository), 'runningOf');
    await cards();
    expect(reads).toHaveBeenCalledTimes(1);
    reads.mockRestore();

    await finish(scout, dunesRun);
    const after = await cards();
    expect(after.get(dunes)?.activeRun).toBeNull();
    expect(after.get(craters)?.activeRun?.id).toBe(cratersRun);
  });

  it('lists the missions an agent holds with their lease, and each run’s mission', async () => {
    const held = await claimed(scout, 'Hold the ridge');
    const runId = await start(scout, held);
    const { claimedMissions } = await gateway.ok<{ claimedMissions: Claimed[] }>(
      CLAIMED,
      { ws, agent: scout.subject },
      viewer,
    );
    const ridge = claimedMissions.find((m) => m.id === held);
    expect(ridge).toMatchObject({ title: 'Hold the ridge', claimedBy: scout.subject });
    expect(ridge?.activeRun?.id).toBe(runId);
    expect(Date.parse(ridge!.leaseExpiresAt)).toBeGreaterThan(Date.now());
    expect(claimedMissions.every((m) => m.claimedBy === scout.subject)).toBe(true);
    const leases = claimedMissions.map((m) => Date.parse(m.leaseExpiresAt));
    expect([...leases].sort((a, b) => a - b)).toEqual(leases);

    const { runs } = await gateway.ok<{
      runs: { nodes: { id: string; mission: { id: string; title: string } }[] };
    }>(RUNS, { ws, agent: scout.subject }, viewer);
    expect(runs.nodes.find((run) => run.id === runId)?.mission).toEqual({
      id: held,
      title: 'Hold the ridge',
    });
    // Every run of the page has its own mission.
    expect(new Set(runs.nodes.map((run) => run.mission.id)).size).toBe(runs.nodes.length);

    const none = await gateway.ok<{ claimedMissions: Claimed[] }>(
      CLAIMED,
      { ws, agent: randomUUID() },
      viewer,
    );
    expect(none.claimedMissions).toEqual([]);
  });

  it('tells another workspace nothing', async () => {
    const answer = await gateway.gql<{ claimedMissions: Claimed[] }>(
      CLAIMED,
      { ws, agent: scout.subject },
      outsider,
    );
    expect(errorCode(answer)).toBe('FORBIDDEN');
    expect(answer.data).toBeNull();
  });
});
