import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { prismaQueryable } from '@mission-control/eventing';
import { agentV1 } from '@mission-control/proto';
import { agentPrincipal, memberPrincipal, until } from '@mission-control/testing';
import { PrismaService } from '../src/database/prisma.service';
import { missionEventStore } from '../src/eventing/mission-event-store';
import {
  type AgentServiceStandIn,
  errorCode,
  type GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const LEASE_SECONDS = 5;
const MISSION_FIELDS = 'id column assigneeAgentId claimedBy claimEpoch leaseExpiresAt claimedAt';
type MissionView = {
  id: string;
  column: string;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  claimEpoch: number;
  leaseExpiresAt: string | null;
  claimedAt: string | null;
};
type RunView = { id: string; status: string; summary: string };

describe('claims with leases: a dead agent never keeps a mission', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;
  const ws = randomUUID();
  const commander = memberPrincipal(ws, 'mission_commander');
  let scout: Principal;
  let rover: Principal;

  beforeAll(async () => {
    ({ app, gateway, agents, close } = await startMissionSpecApp('leases', {
      MISSION_LEASE_SECONDS: String(LEASE_SECONDS),
      MISSION_LEASE_SWEEP_SECONDS: '0.2',
    }));
    scout = agentPrincipal(ws, await agents.activeAgent(ws));
    rover = agentPrincipal(ws, await agents.activeAgent(ws));
  });
  afterAll(() => close?.());

  const mission = async (id: string) =>
    (
      await gateway.ok<{ mission: MissionView }>(
        `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { ${MISSION_FIELDS} } }`,
        { ws, id },
        commander,
      )
    ).mission;
  const run = async (id: string) =>
    (
      await gateway.ok<{ run: RunView }>(
        `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { id status summary } }`,
        { ws, id },
        commander,
      )
    ).run;
  const assign = (id: string, agent: Principal) =>
    gateway.ok(
      `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
      { ws, id, agent: agent.subject },
      commander,
    );
  const claim = async (id: string, agent: Principal) =>
    (
      await gateway.ok<{ claimMission: MissionView }>(
        `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { ${MISSION_FIELDS} } }`,
        { ws, id },
        agent,
      )
    ).claimMission;
  const renew = (id: string, by: Principal) =>
    gateway.gql<{ renewLease: MissionView }>(
      `mutation ($ws: ID!, $id: ID!) { renewLease(workspaceId: $ws, missionId: $id) { ${MISSION_FIELDS} } }`,
      { ws, id },
      by,
    );
  const startRun = async (id: string, agent: Principal) =>
    (
      await gateway.ok<{ startRun: RunView }>(
        `mutation ($ws: ID!, $id: ID!) { startRun(workspaceId: $ws, missionId: $id, input: { adapter: "shell", model: "gpt-5", provider: "openai" }) { id status summary } }`,
        { ws, id },
        agent,
      )
    ).startRun;
  const append = (runId: string, agent: Principal, text: string) =>
    gateway.gql(
      `mutation ($ws: ID!, $run: ID!, $text: String!) { appendRunLog(workspaceId: $ws, runId: $run, lines: [{ text: $text }]) { lastPosition } }`,
      { ws, run: runId, text },
      agent,
    );
  /** A mission in progress, assigned to and claimed by `agent`, with a run started. */
  const working = async (agent: Principal) => {
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "Survey the ridge", column: IN_PROGRESS }) { id } }`,
      { ws },
      commander,
    );
    await assign(createMission.id, agent);
    const claimed = await claim(createMission.id, agent);
    return { missionId: createMission.id, claimed, run: await startRun(createMission.id, agent) };
  };
  const released = (id: string) =>
    until(async () => (await mission(id)).claimedBy === null, 'the claim to end', 15_000);

  it('gives a claim an epoch and a lease, which its agent renews and nobody else can', async () => {
    const { missionId, claimed } = await working(scout);
    expect(claimed.claimEpoch).toBe(1);
    const expiresIn = Date.parse(claimed.leaseExpiresAt!) - Date.now();
    expect(expiresIn).toBeGreaterThan(2_000);
    expect(expiresIn).toBeLessThanOrEqual(LEASE_SECONDS * 1_000);

    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const renewed = await renew(missionId, scout);
    expect(Date.parse(renewed.data!.renewLease.leaseExpiresAt!)).toBeGreaterThan(
      Date.parse(claimed.leaseExpiresAt!),
    );
    expect(errorCode(await renew(missionId, rover))).toBe('CONFLICT');
    expect(errorCode(await renew(missionId, commander))).toBe('FORBIDDEN');
    expect(errorCode(await renew(randomUUID(), scout))).toBe('NOT_FOUND');
  });

  it('ends a lapsed claim: the mission is offered again, the run abandoned, the late agent refused', async () => {
    const { missionId, run: first } = await working(scout);
    expect((await append(first.id, scout, 'working')).errors).toBeUndefined();
    // Scout dies here: no renewal, no more writes.
    const waitedFrom = Date.now();
    await released(missionId);
    process.stdout.write(
      `leases: a lapsed claim ended ${Date.now() - waitedFrom} ms after the agent's last write (lease ${LEASE_SECONDS} s)\n`,
    );

    expect(await mission(missionId)).toMatchObject({
      column: 'TODO',
      assigneeAgentId: null,
      claimedBy: null,
      leaseExpiresAt: null,
      claimEpoch: 1,
    });
    expect(await run(first.id)).toMatchObject({
      status: 'ABANDONED',
      summary: expect.stringMatching(/lease ran out/),
    });
    // The zombie wakes up: every write of its claim is refused.
    const fenced = await append(first.id, scout, 'still here');
    expect(errorCode(fenced)).toBe('CONFLICT');
    // Sending it again would be refused again: the agent must claim afresh, not retry.
    expect(fenced.errors![0]!.extensions).toMatchObject({ retryable: false });
    const renewal = await renew(missionId, scout);
    expect(errorCode(renewal)).toBe('CONFLICT');
    expect(renewal.errors![0]!.extensions).toMatchObject({ retryable: false });

    // Another agent takes it over under the next epoch and finishes it.
    await assign(missionId, rover);
    expect((await claim(missionId, rover)).claimEpoch).toBe(2);
    const second = await startRun(missionId, rover);
    await gateway.ok(
      `mutation ($ws: ID!, $run: ID!) { finishRun(workspaceId: $ws, runId: $run, outcome: SUCCEEDED) { id } }`,
      { ws, run: second.id },
      rover,
    );
    expect(errorCode(await append(first.id, scout, 'too late'))).toBe('CONFLICT');

    const history = await missionEventStore.readStream(
      prismaQueryable(app.get(PrismaService)),
      `mission-${missionId}`,
    );
    const ends = history.filter((event) => event.type === 'mission.v1.MissionReleased');
    expect(ends).toHaveLength(1);
    expect(ends[0]!.metadata.actor).toEqual({ kind: 'system', id: 'mission-leases' });
  });

  it('keeps the claim of an agent that keeps writing to its run', async () => {
    const { missionId, run: running } = await working(scout);
    for (let i = 0; i < 6; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect((await append(running.id, scout, `step ${i}`)).errors).toBeUndefined();
    }
    // 9 s of work on a 5 s lease, and it is still scout's.
    expect(await mission(missionId)).toMatchObject({ claimedBy: scout.subject, claimEpoch: 1 });
    expect((await run(running.id)).status).toBe('RUNNING');
  });

  it('ends the claims of an agent that went offline, and of one deactivated', async () => {
    const { missionId, run: running } = await working(scout);
    await agents.publish(ws, scout.subject, 'agent.v1.AgentStatusChanged', {
      agentId: scout.subject,
      fromStatus: agentV1.AgentStatus.BUSY,
      toStatus: agentV1.AgentStatus.OFFLINE,
      reason: agentV1.AgentStatusChangeReason.HEARTBEAT_EXPIRED,
    });
    await until(async () => (await mission(missionId)).claimedBy === null, 'the claim to end');
    expect(await run(running.id)).toMatchObject({
      status: 'ABANDONED',
      summary: expect.stringMatching(/went offline/),
    });

    const rovers = await working(rover);
    await agents.deactivate(ws, rover.subject);
    await until(
      async () => (await mission(rovers.missionId)).claimedBy === null,
      'the claim to end',
    );
    expect((await run(rovers.run.id)).status).toBe('ABANDONED');
  });

  it('keeps the claims of an agent that heartbeats, and ends them once it goes offline', async () => {
    const steady = agentPrincipal(ws, await agents.activeAgent(ws));
    await agents.status(ws, steady.subject, agentV1.AgentStatus.BUSY);
    const { missionId, claimed, run: running } = await working(steady);
    // Longer than the lease, and not a write or renewal meanwhile: only its heartbeats.
    await new Promise((resolve) => setTimeout(resolve, (LEASE_SECONDS + 2) * 1_000));
    const kept = await mission(missionId);
    expect(kept).toMatchObject({ claimedBy: steady.subject, claimEpoch: 1 });
    expect(Date.parse(kept.leaseExpiresAt!)).toBeGreaterThan(Date.parse(claimed.leaseExpiresAt!));
    expect((await run(running.id)).status).toBe('RUNNING');

    // News that it went offline before it made this claim (late, as a lagging consumer hears it)
    // is about an earlier claim: this one stands.
    await agents.status(
      ws,
      steady.subject,
      agentV1.AgentStatus.OFFLINE,
      new Date(Date.parse(kept.claimedAt!) - 1_000),
    );
    expect(await mission(missionId)).toMatchObject({ claimedBy: steady.subject });
    await agents.status(ws, steady.subject, agentV1.AgentStatus.BUSY);
    await agents.status(ws, steady.subject, agentV1.AgentStatus.OFFLINE);
    await released(missionId);
    expect(await run(running.id)).toMatchObject({
      status: 'ABANDONED',
      summary: expect.stringMatching(/went offline/),
    });
  });

  it('sends lapsed work to Blocked when the workspace’s policy says so, and given-back work to To do', async () => {
    const other = randomUUID();
    const admin = memberPrincipal(other, 'admin');
    const policy = `query ($ws: ID!) { workPolicy(workspaceId: $ws) { lapsedClaims } }`;
    const setPolicy = (by: Principal, lapsedClaims: string) =>
      gateway.gql<{ setWorkPolicy: { lapsedClaims: string } }>(
        `mutation ($ws: ID!, $to: LapsedClaimAction!) { setWorkPolicy(workspaceId: $ws, lapsedClaims: $to) { lapsedClaims } }`,
        { ws: other, to: lapsedClaims },
        by,
      );
    expect(await gateway.ok(policy, { ws: other }, admin)).toEqual({
      workPolicy: { lapsedClaims: 'REQUEUE' },
    });
    expect(errorCode(await setPolicy(memberPrincipal(other, 'mission_commander'), 'BLOCK'))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await setPolicy(admin, 'SOMETIMES'))).toBe('VALIDATION_ERROR');
    expect((await setPolicy(admin, 'BLOCK')).data).toEqual({
      setWorkPolicy: { lapsedClaims: 'BLOCK' },
    });
    // Setting it again changes nothing and writes nothing.
    await setPolicy(admin, 'BLOCK');
    const stream = await missionEventStore.readStream(
      prismaQueryable(app.get(PrismaService)),
      `work-policy-${other}`,
    );
    expect(stream.map((event) => event.type)).toEqual(['mission.v1.WorkPolicySet']);
    // The first workspace kept the default.
    expect(await gateway.ok(policy, { ws }, commander)).toEqual({
      workPolicy: { lapsedClaims: 'REQUEUE' },
    });

    const agent = agentPrincipal(other, await agents.activeAgent(other));
    const work = async () => {
      const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
        `mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "Map the caves", column: IN_PROGRESS }) { id } }`,
        { ws: other },
        admin,
      );
      await gateway.ok(
        `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
        { ws: other, id: createMission.id, agent: agent.subject },
        admin,
      );
      await gateway.ok(
        `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }`,
        { ws: other, id: createMission.id },
        agent,
      );
      const { startRun } = await gateway.ok<{ startRun: { id: string } }>(
        `mutation ($ws: ID!, $id: ID!) { startRun(workspaceId: $ws, missionId: $id, input: { adapter: "shell", model: "gpt-5", provider: "openai" }) { id } }`,
        { ws: other, id: createMission.id },
        agent,
      );
      return { missionId: createMission.id, runId: startRun.id };
    };
    const inOther = (query: string, id: string) =>
      gateway.ok<
        Record<
          string,
          { column?: string; claimedBy?: string | null; status?: string; summary?: string }
        >
      >(query, { ws: other, id }, admin);
    const lapsed = await work();
    await until(
      async () =>
        (
          await inOther(
            `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { claimedBy } }`,
            lapsed.missionId,
          )
        ).mission!.claimedBy === null,
      'the lapsed claim to end',
      15_000,
    );
    expect(
      await inOther(
        `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { column assigneeAgentId } }`,
        lapsed.missionId,
      ),
    ).toEqual({ mission: { column: 'BLOCKED', assigneeAgentId: null } });
    expect(
      (
        await inOther(
          `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { status summary } }`,
          lapsed.runId,
        )
      ).run,
    ).toEqual({
      status: 'ABANDONED',
      summary: expect.stringMatching(/lease ran out.*went to Blocked/),
    });

    const givenBack = await work();
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!) { releaseMission(workspaceId: $ws, missionId: $id) { id } }`,
      { ws: other, id: givenBack.missionId },
      agent,
    );
    expect(
      (
        await inOther(
          `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { column } }`,
          givenBack.missionId,
        )
      ).mission,
    ).toEqual({ column: 'TODO' });
  });

  it('lets an agent give a mission back, and abandons a run whose mission was reassigned', async () => {
    const spare = agentPrincipal(ws, await agents.activeAgent(ws));
    const given = await working(spare);
    const back = await gateway.ok<{ releaseMission: MissionView }>(
      `mutation ($ws: ID!, $id: ID!) { releaseMission(workspaceId: $ws, missionId: $id) { ${MISSION_FIELDS} } }`,
      { ws, id: given.missionId },
      spare,
    );
    expect(back.releaseMission).toMatchObject({ claimedBy: null, column: 'TODO' });
    expect((await run(given.run.id)).status).toBe('ABANDONED');
    // Given back again (a runner after its SDK did): nothing left to give back, nothing changes.
    const again = await gateway.ok<{ releaseMission: MissionView }>(
      `mutation ($ws: ID!, $id: ID!) { releaseMission(workspaceId: $ws, missionId: $id) { ${MISSION_FIELDS} } }`,
      { ws, id: given.missionId },
      spare,
    );
    expect(again.releaseMission).toEqual(back.releaseMission);

    const reassigned = await working(spare);
    await assign(reassigned.missionId, scout);
    await until(
      async () => (await run(reassigned.run.id)).status === 'ABANDONED',
      'the orphan run to end',
    );
    expect(errorCode(await append(reassigned.run.id, spare, 'mine?'))).toBe('CONFLICT');
  });
});
