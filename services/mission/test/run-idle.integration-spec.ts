import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { prismaQueryable } from '@mission-control/eventing';
import { agentV1, decodeEvent, missionV1 } from '@mission-control/proto';
import { agentPrincipal, memberPrincipal, until } from '@mission-control/testing';
import { PrismaService } from '../src/database/prisma.service';
import { missionEventStore } from '../src/eventing/mission-event-store';
import {
  type AgentServiceStandIn,
  errorCode,
  type GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const IDLE_SECONDS = 2;
type RunView = { id: string; status: string; summary: string | null };

// An agent that heartbeats keeps its claim however long its run goes quiet: a hung process under
// a live runner would hold the mission forever. A run silent for MISSION_RUN_IDLE_SECONDS ends.
describe('runs that go silent end as timed out', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;
  const ws = randomUUID();
  const commander = memberPrincipal(ws, 'mission_commander');
  let scout: Principal;

  beforeAll(async () => {
    ({ app, gateway, agents, close } = await startMissionSpecApp('run-idle', {
      MISSION_LEASE_SECONDS: '60',
      MISSION_LEASE_SWEEP_SECONDS: '0.2',
      MISSION_RUN_IDLE_SECONDS: String(IDLE_SECONDS),
    }));
    const scoutId = await agents.activeAgent(ws);
    await agents.status(ws, scoutId, agentV1.AgentStatus.BUSY);
    scout = agentPrincipal(ws, scoutId);
  });
  afterAll(() => close?.());

  const run = async (id: string) =>
    (
      await gateway.ok<{ run: RunView }>(
        `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { id status summary } }`,
        { ws, id },
        commander,
      )
    ).run;
  const append = (runId: string, text: string) =>
    gateway.gql(
      `mutation ($ws: ID!, $run: ID!, $text: String!) { appendRunLog(workspaceId: $ws, runId: $run, lines: [{ text: $text }]) { lastPosition } }`,
      { ws, run: runId, text },
      scout,
    );
  const working = async () => {
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "Index the archive", column: IN_PROGRESS }) { id } }`,
      { ws },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
      { ws, id: createMission.id, agent: scout.subject },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }`,
      { ws, id: createMission.id },
      scout,
    );
    const { startRun } = await gateway.ok<{ startRun: RunView }>(
      `mutation ($ws: ID!, $id: ID!) { startRun(workspaceId: $ws, missionId: $id, input: { adapter: "claude-code", model: "claude-sonnet-4", provider: "anthropic" }) { id status summary } }`,
      { ws, id: createMission.id },
      scout,
    );
    return { missionId: createMission.id, runId: startRun.id };
  };

  it('leaves a run that keeps writing alone, and ends one that stops, telling its agent', async () => {
    const { missionId, runId } = await working();
    // Twice the idle time, writing every half of it: never silent long enough.
    for (let i = 0; i < 4; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, (IDLE_SECONDS * 1_000) / 2));
      expect((await append(runId, `step ${i}`)).errors).toBeUndefined();
    }
    expect((await run(runId)).status).toBe('RUNNING');

    const silentFrom = Date.now();
    await until(async () => (await run(runId)).status === 'TIMED_OUT', 'the time-out', 10_000);
    expect(Date.now() - silentFrom).toBeGreaterThanOrEqual(IDLE_SECONDS * 1_000 - 200);
    expect((await run(runId)).summary).toBe(
      `Timed out: no log line, usage or progress for ${IDLE_SECONDS} s.`,
    );
    expect(errorCode(await append(runId, 'woke up'))).toBe('CONFLICT');

    // The run's end is an event by the keeper, which every consumer and the agent's socket see;
    // the claim stays the agent's, to run again or give back.
    const history = await missionEventStore.readStream(
      prismaQueryable(app.get(PrismaService)),
      `run-${runId}`,
    );
    const end = history.at(-1)!;
    expect(end.type).toBe('mission.v1.RunFinished');
    expect(end.metadata.actor).toEqual({ kind: 'system', id: 'mission-leases' });
    expect(decodeEvent('mission.v1.RunFinished', Buffer.from(end.payload)).data).toMatchObject({
      runId,
      outcome: missionV1.RunOutcome.TIMED_OUT,
    });
    const { mission } = await gateway.ok<{ mission: { claimedBy: string | null } }>(
      `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { claimedBy } }`,
      { ws, id: missionId },
      commander,
    );
    expect(mission.claimedBy).toBe(scout.subject);
  });
});
