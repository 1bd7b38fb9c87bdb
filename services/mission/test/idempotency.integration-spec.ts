import { randomUUID } from 'node:crypto';
import type { Principal } from '@mission-control/auth';
import { agentPrincipal, memberPrincipal } from '@mission-control/testing';
import {
  type AgentServiceStandIn,
  errorCode,
  type GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const APPEND = `mutation ($ws: ID!, $run: ID!, $lines: [RunLogLineInput!]!, $key: String) {
  appendRunLog(workspaceId: $ws, runId: $run, lines: $lines, idempotencyKey: $key) { firstPosition lastPosition }
}`;
const USAGE = `mutation ($ws: ID!, $run: ID!, $key: String) {
  reportRunUsage(workspaceId: $ws, runId: $run, idempotencyKey: $key, input: { model: "gpt-5", inputTokens: 1000, outputTokens: 100, costUsd: 0.25 }) { costUsd inputTokens }
}`;
const START = `mutation ($ws: ID!, $mission: ID!, $key: String) {
  startRun(workspaceId: $ws, missionId: $mission, idempotencyKey: $key, input: { adapter: "sdk", model: "gpt-5", provider: "openai" }) { id }
}`;
const FINISH = `mutation ($ws: ID!, $run: ID!, $key: String) {
  finishRun(workspaceId: $ws, runId: $run, outcome: SUCCEEDED, summary: "done", idempotencyKey: $key) { status summary }
}`;
const NEXT = `mutation ($ws: ID!, $key: String) { nextMission(workspaceId: $ws, idempotencyKey: $key) { id claimedBy } }`;
const RUN = `query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { logLines costUsd log { lines { position text } } } }`;

describe('agent writes with an idempotency key', () => {
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;
  const ws = randomUUID();
  const commander = memberPrincipal(ws, 'mission_commander');
  let scout: Principal;
  let rover: Principal;

  beforeAll(async () => {
    ({ gateway, agents, close } = await startMissionSpecApp('keys'));
    scout = agentPrincipal(ws, await agents.activeAgent(ws));
    rover = agentPrincipal(ws, await agents.activeAgent(ws));
  });
  afterAll(() => close?.());

  const todo = async (title: string) => {
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!, $title: String!) { createMission(workspaceId: $ws, input: { title: $title }) { id } }`,
      { ws, title },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!) { moveMission(workspaceId: $ws, missionId: $id, column: TODO) { id } }`,
      { ws, id: createMission.id },
      commander,
    );
    return createMission.id;
  };
  const run = async (agent: Principal) => {
    await todo(`work for ${agent.subject}`);
    const { nextMission } = await gateway.ok<{ nextMission: { id: string } }>(NEXT, { ws }, agent);
    const { startRun } = await gateway.ok<{ startRun: { id: string } }>(
      START,
      { ws, mission: nextMission.id },
      agent,
    );
    return startRun.id;
  };
  const read = (id: string) =>
    gateway.ok<{
      run: {
        logLines: number;
        costUsd: number;
        log: { lines: { position: number; text: string }[] };
      };
    }>(RUN, { ws, id }, commander);

  it('appends a retried chunk once and answers its positions again, even when retries race', async () => {
    const runId = await run(scout);
    const key = randomUUID();
    const lines = [{ text: 'compiling' }, { text: 'linking' }];
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => gateway.gql(APPEND, { ws, run: runId, lines, key }, scout)),
    );
    for (const answer of answers) {
      expect(answer).toEqual({ data: { appendRunLog: { firstPosition: 1, lastPosition: 2 } } });
    }
    await gateway.ok(
      APPEND,
      { ws, run: runId, lines: [{ text: 'done' }], key: randomUUID() },
      scout,
    );
    const { run: seen } = await read(runId);
    expect(seen.log.lines.map((line) => line.text)).toEqual(['compiling', 'linking', 'done']);
  });

  it('refuses another request under a used key, and a key that is not one', async () => {
    const runId = await run(scout);
    const key = randomUUID();
    await gateway.ok(APPEND, { ws, run: runId, lines: [{ text: 'first' }], key }, scout);
    const other = await gateway.gql(
      APPEND,
      { ws, run: runId, lines: [{ text: 'other' }], key },
      scout,
    );
    expect(errorCode(other)).toBe('CONFLICT');
    const otherOperation = await gateway.gql(USAGE, { ws, run: runId, key }, scout);
    expect(errorCode(otherOperation)).toBe('CONFLICT');
    expect(errorCode(await gateway.gql(USAGE, { ws, run: runId, key: 'short' }, scout))).toBe(
      'VALIDATION_ERROR',
    );
    // A key is the agent's own: another agent using the same string is another request.
    expect(
      errorCode(await gateway.gql(APPEND, { ws, run: runId, lines: [{ text: 'x' }], key }, rover)),
    ).toBe('FORBIDDEN');
    expect((await read(runId)).run.logLines).toBe(1);
  });

  it('counts a retried usage report and finish once', async () => {
    const runId = await run(scout);
    const key = randomUUID();
    const first = await gateway.ok<{ reportRunUsage: { costUsd: number } }>(
      USAGE,
      { ws, run: runId, key },
      scout,
    );
    const again = await gateway.ok<{ reportRunUsage: { costUsd: number } }>(
      USAGE,
      { ws, run: runId, key },
      scout,
    );
    expect(first.reportRunUsage.costUsd).toBe(0.25);
    expect(again.reportRunUsage.costUsd).toBe(0.25);
    const finishKey = randomUUID();
    const finished = await gateway.gql(FINISH, { ws, run: runId, key: finishKey }, scout);
    expect(finished.errors).toBeUndefined();
    // Without the key, a second finish is a CONFLICT; with it, the same answer.
    expect(await gateway.gql(FINISH, { ws, run: runId, key: finishKey }, scout)).toEqual(finished);
    expect(errorCode(await gateway.gql(FINISH, { ws, run: runId }, scout))).toBe('CONFLICT');
  });

  it('answers a retried nextMission with the same mission instead of claiming another', async () => {
    const first = await todo('Survey the north crater');
    const second = await todo('Survey the south crater');
    const key = randomUUID();
    const taken = await gateway.ok<{ nextMission: { id: string } }>(NEXT, { ws, key }, rover);
    const retried = await gateway.ok<{ nextMission: { id: string } }>(NEXT, { ws, key }, rover);
    expect(retried.nextMission.id).toBe(taken.nextMission.id);
    expect([first, second]).toContain(taken.nextMission.id);
    const left = taken.nextMission.id === first ? second : first;
    const { mission } = await gateway.ok<{ mission: { claimedBy: string | null } }>(
      `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { claimedBy } }`,
      { ws, id: left },
      commander,
    );
    expect(mission.claimedBy).toBeNull();
  });
});
