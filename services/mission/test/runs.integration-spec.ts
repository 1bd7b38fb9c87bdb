import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { prismaQueryable } from '@mission-control/eventing';
import { agentPrincipal, memberPrincipal } from '@mission-control/testing';
import { PrismaService } from '../src/database/prisma.service';
import { missionEventStore } from '../src/eventing/mission-event-store';
import {
  type AgentServiceStandIn,
  errorCode,
  type GatewayStandIn,
  startMissionSpecApp,
} from './mission-test-kit';

const RUN_FIELDS = `id missionId agentId adapter model provider billing status summary
  inputTokens outputTokens cachedInputTokens costUsd costEstimated unpricedReports logLines
  startedAt finishedAt`;
const START = `mutation ($ws: ID!, $mission: ID!, $input: StartRunInput!) {
  startRun(workspaceId: $ws, missionId: $mission, input: $input) { ${RUN_FIELDS} }
}`;
const APPEND = `mutation ($ws: ID!, $run: ID!, $lines: [RunLogLineInput!]!) {
  appendRunLog(workspaceId: $ws, runId: $run, lines: $lines) { firstPosition lastPosition }
}`;
const USAGE = `mutation ($ws: ID!, $run: ID!, $input: RunUsageInput!) {
  reportRunUsage(workspaceId: $ws, runId: $run, input: $input) { ${RUN_FIELDS} }
}`;
const FINISH = `mutation ($ws: ID!, $run: ID!, $outcome: RunOutcome!, $summary: String) {
  finishRun(workspaceId: $ws, runId: $run, outcome: $outcome, summary: $summary) { ${RUN_FIELDS} }
}`;
const RUN = `query ($ws: ID!, $id: ID!, $after: Int, $first: Int) {
  run(workspaceId: $ws, id: $id) {
    ${RUN_FIELDS}
    log(after: $after, first: $first) { hasMore lines { position stream text } }
  }
}`;
const RUNS = `query ($ws: ID!, $mission: ID, $agent: ID, $status: RunStatus, $first: Int, $after: String) {
  runs(workspaceId: $ws, missionId: $mission, agentId: $agent, status: $status, first: $first, after: $after) {
    nodes { id status } pageInfo { endCursor hasNextPage }
  }
}`;
const MISSION_RUNS = `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { runs { nodes { id } } } }`;

type RunView = {
  id: string;
  agentId: string;
  status: string;
  billing: string;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  costEstimated: boolean;
  unpricedReports: number;
  logLines: number;
  summary: string;
  finishedAt: string | null;
};
type LogView = { hasMore: boolean; lines: { position: number; stream: string; text: string }[] };
type RunsView = {
  nodes: { id: string; status: string }[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
};

describe('runs of missions', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let agents: AgentServiceStandIn;
  let close: () => Promise<void>;
  const ws = randomUUID();
  const otherWs = randomUUID();
  const commander = memberPrincipal(ws, 'mission_commander');
  const viewer = memberPrincipal(ws, 'viewer');
  const outsider = memberPrincipal(otherWs, 'admin');
  let scout: Principal;
  let rover: Principal;

  beforeAll(async () => {
    ({ app, gateway, agents, close } = await startMissionSpecApp('runs'));
    scout = agentPrincipal(ws, await agents.activeAgent(ws));
    rover = agentPrincipal(ws, await agents.activeAgent(ws));
  });
  afterAll(() => close?.());

  /** A mission assigned to and claimed by `agent`. */
  const claimedMission = async (agent: Principal): Promise<string> => {
    const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
      `mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "Scan the dunes" }) { id } }`,
      { ws },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
      { ws, id: createMission.id, agent: agent.subject },
      commander,
    );
    await gateway.ok(
      `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { id } }`,
      { ws, id: createMission.id },
      agent,
    );
    return createMission.id;
  };
  const start = (by: Principal, mission: string, billing = 'METERED') =>
    gateway.gql<{ startRun: RunView }>(
      START,
      {
        ws: by.workspaceId,
        mission,
        input: {
          adapter: 'claude-code',
          model: 'claude-sonnet-4-5',
          provider: 'anthropic',
          billing,
        },
      },
      by,
    );
  const append = (by: Principal, run: string, lines: { text: string; stream?: string }[]) =>
    gateway.gql<{ appendRunLog: { firstPosition: number; lastPosition: number } }>(
      APPEND,
      { ws: by.workspaceId, run, lines },
      by,
    );
  const usage = (by: Principal, run: string, input: Record<string, unknown>) =>
    gateway.gql<{ reportRunUsage: RunView }>(USAGE, { ws: by.workspaceId, run, input }, by);
  const finish = (by: Principal, run: string, outcome: string, summary?: string) =>
    gateway.gql<{ finishRun: RunView }>(FINISH, { ws: by.workspaceId, run, outcome, summary }, by);
  const read = async (run: string, after = 0, first = 500) =>
    (
      await gateway.ok<{ run: RunView & { log: LogView } }>(
        RUN,
        { ws, id: run, after, first },
        viewer,
      )
    ).run;
  const startedBy = async (agent: Principal, billing?: string) => {
    const { data } = await start(agent, await claimedMission(agent), billing);
    return data!.startRun;
  };

  it('shows its agent’s progress notes on the run, and only while it runs', async () => {
    const run = await startedBy(scout);
    const PROGRESS = `mutation ($ws: ID!, $run: ID!, $note: String!, $percent: Int) {
      noteRunProgress(workspaceId: $ws, runId: $run, note: $note, percent: $percent) { progressNote progressPercent }
    }`;
    const noted = await gateway.gql<{ noteRunProgress: unknown }>(
      PROGRESS,
      { ws, run: run.id, note: 'tests: 40/52 passing', percent: 77 },
      scout,
    );
    expect(noted.data!.noteRunProgress).toEqual({
      progressNote: 'tests: 40/52 passing',
      progressPercent: 77,
    });
    for (const [by, variables, code] of [
      [rover, { note: 'not mine' }, 'FORBIDDEN'],
      [scout, { note: 'x', percent: 140 }, 'VALIDATION_ERROR'],
      [scout, { note: '' }, 'VALIDATION_ERROR'],
      [commander, { note: 'a person' }, 'FORBIDDEN'],
    ] as const) {
      expect(errorCode(await gateway.gql(PROGRESS, { ws, run: run.id, ...variables }, by))).toBe(
        code,
      );
    }
    await finish(scout, run.id, 'SUCCEEDED');
    expect(errorCode(await gateway.gql(PROGRESS, { ws, run: run.id, note: 'late' }, scout))).toBe(
      'CONFLICT',
    );
  });

  it('runs the loop: start, log in order, usage priced from the catalog, finish', async () => {
    const mission = await claimedMission(scout);
    const { data } = await start(scout, mission);
    const run = data!.startRun;
    expect(run).toMatchObject({
      agentId: scout.subject,
      status: 'RUNNING',
      billing: 'METERED',
      costUsd: 0,
      logLines: 0,
      finishedAt: null,
    });

    expect((await append(scout, run.id, [{ text: 'cloning' }, { text: 'ok' }])).data).toEqual({
      appendRunLog: { firstPosition: 1, lastPosition: 2 },
    });
    expect(
      (
        await append(scout, run.id, [
          { text: '\u001b[33mwarning\u001b[0m: slow disk', stream: 'STDERR' },
          { text: 'tests pass', stream: 'STDOUT' },
          { text: 'pushing', stream: 'SYSTEM' },
        ])
      ).data,
    ).toEqual({ appendRunLog: { firstPosition: 3, lastPosition: 5 } });

    // 2,000 × $3 + 8,000 × $0.30 + 2,000 × $15 per million tokens
    const priced = await usage(scout, run.id, {
      model: 'claude-sonnet-4-5-20250929',
      inputTokens: 10_000,
      outputTokens: 2_000,
      cachedInputTokens: 8_000,
    });
    expect(priced.data!.reportRunUsage).toMatchObject({
      inputTokens: 10_000,
      outputTokens: 2_000,
      cachedInputTokens: 8_000,
      costUsd: 0.0384,
      unpricedReports: 0,
    });
    const withOwnFigure = await usage(scout, run.id, {
      model: 'claude-sonnet-4-5',
      inputTokens: 100,
      outputTokens: 10,
      costUsd: 0.25,
    });
    expect(withOwnFigure.data!.reportRunUsage.costUsd).toBeCloseTo(0.2884, 6);
    const unpriced = await usage(scout, run.id, {
      model: 'llama-3-local',
      inputTokens: 500,
      outputTokens: 50,
    });
    expect(unpriced.data!.reportRunUsage).toMatchObject({
      unpricedReports: 1,
      inputTokens: 10_600,
    });

    const finished = await finish(scout, run.id, 'SUCCEEDED', 'Dunes scanned; report attached.');
    expect(finished.data!.finishRun).toMatchObject({
      status: 'SUCCEEDED',
      summary: 'Dunes scanned; report attached.',
    });
    expect(finished.data!.finishRun.finishedAt).not.toBeNull();

    const seen = await read(run.id, 2, 2);
    expect(seen.log).toEqual({
      hasMore: true,
      lines: [
        { position: 3, stream: 'STDERR', text: '\u001b[33mwarning\u001b[0m: slow disk' },
        { position: 4, stream: 'STDOUT', text: 'tests pass' },
      ],
    });
    expect((await read(run.id, 4)).log).toEqual({
      hasMore: false,
      lines: [{ position: 5, stream: 'SYSTEM', text: 'pushing' }],
    });

    // The stream holds what happened, in order: the history the read model was built from.
    const stored = await missionEventStore.readStream(
      prismaQueryable(app.get(PrismaService)),
      `run-${run.id}`,
    );
    expect(stored.map((event) => event.type)).toEqual([
      'mission.v1.RunStarted',
      'mission.v1.RunLogAppended',
      'mission.v1.RunLogAppended',
      'mission.v1.RunUsageReported',
      'mission.v1.RunUsageReported',
      'mission.v1.RunUsageReported',
      'mission.v1.RunFinished',
    ]);
  });

  it('gives chunks sent at once gapless positions, none twice', async () => {
    const run = await startedBy(scout);
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, chunk) =>
        append(
          scout,
          run.id,
          [0, 1, 2].map((line) => ({ text: `chunk ${chunk} line ${line}` })),
        ),
      ),
    );
    expect(answers.map((answer) => answer.errors)).toEqual(answers.map(() => undefined));
    const { log, logLines } = await read(run.id);
    expect(logLines).toBe(36);
    expect(log.lines.map((line) => line.position)).toEqual(
      Array.from({ length: 36 }, (_, i) => i + 1),
    );
    // Each chunk's lines stay together and in their order.
    for (let i = 0; i < 36; i += 3) {
      const [chunk] = /chunk \d+/.exec(log.lines[i]!.text)!;
      expect(log.lines.slice(i, i + 3).map((line) => line.text)).toEqual(
        [0, 1, 2].map((line) => `${chunk} line ${line}`),
      );
    }
  });

  it('keeps a subscription run’s tokens and estimates its cost, never a silent 0', async () => {
    const run = await startedBy(scout, 'SUBSCRIPTION');
    const { data } = await usage(scout, run.id, {
      model: 'claude-sonnet-4-5',
      inputTokens: 1_000_000,
      outputTokens: 0,
    });
    expect(data!.reportRunUsage).toMatchObject({
      billing: 'SUBSCRIPTION',
      costEstimated: true,
      costUsd: 3,
      inputTokens: 1_000_000,
    });
  });

  it('closes a finished run: no more lines, no second end, yet late usage is recorded', async () => {
    const run = await startedBy(scout);
    await finish(scout, run.id, 'FAILED', 'tests failed');
    expect(errorCode(await append(scout, run.id, [{ text: 'late' }]))).toBe('CONFLICT');
    expect(errorCode(await finish(scout, run.id, 'SUCCEEDED'))).toBe('CONFLICT');
    const late = await usage(scout, run.id, {
      model: 'gpt-5',
      inputTokens: 1_000,
      outputTokens: 0,
    });
    expect(late.data!.reportRunUsage).toMatchObject({ status: 'FAILED', inputTokens: 1_000 });
    expect((await read(run.id)).logLines).toBe(0);
  });

  it('refuses bad input with a coded error and writes nothing of it', async () => {
    const run = await startedBy(scout);
    await append(scout, run.id, [{ text: 'first' }]);
    const refused = [
      await append(scout, run.id, [{ text: 'x'.repeat(8_193) }]),
      await append(scout, run.id, [{ text: 'two\nlines' }]),
      await append(scout, run.id, []),
      await append(
        scout,
        run.id,
        Array.from({ length: 501 }, () => ({ text: 'x' })),
      ),
      await usage(scout, run.id, { model: 'gpt-5', inputTokens: -1, outputTokens: 0 }),
      await usage(scout, run.id, {
        model: 'gpt-5',
        inputTokens: 1,
        outputTokens: 0,
        cachedInputTokens: 2,
      }),
      await usage(scout, run.id, {
        model: 'gpt-5',
        inputTokens: 1,
        outputTokens: 0,
        costUsd: -0.5,
      }),
      await gateway.gql(RUN, { ws, id: run.id, first: 1_001 }, viewer),
      await gateway.gql(RUNS, { ws, after: 'not-a-cursor' }, viewer),
    ];
    expect(refused.map(errorCode)).toEqual(refused.map(() => 'VALIDATION_ERROR'));
    expect(await read(run.id)).toMatchObject({ logLines: 1, inputTokens: 0 });
  });

  it('lets only the agent holding the claim start a run, and only the run’s agent write to it', async () => {
    const mission = await claimedMission(scout);
    expect(errorCode(await start(rover, mission))).toBe('FORBIDDEN');
    expect(errorCode(await start(commander, mission))).toBe('FORBIDDEN');
    expect(errorCode(await start(scout, randomUUID()))).toBe('NOT_FOUND');
    const run = (await start(scout, mission)).data!.startRun;
    expect(errorCode(await append(rover, run.id, [{ text: 'hijack' }]))).toBe('FORBIDDEN');
    expect(
      errorCode(await usage(rover, run.id, { model: 'gpt-5', inputTokens: 1, outputTokens: 1 })),
    ).toBe('FORBIDDEN');
    expect(errorCode(await finish(rover, run.id, 'FAILED'))).toBe('FORBIDDEN');
    // People read runs and may cancel one; its log and usage are its agent's alone.
    expect(errorCode(await append(commander, run.id, [{ text: 'typed by a person' }]))).toBe(
      'FORBIDDEN',
    );
    expect(
      errorCode(
        await usage(commander, run.id, { model: 'gpt-5', inputTokens: 1, outputTokens: 1 }),
      ),
    ).toBe('FORBIDDEN');
    expect(errorCode(await append(scout, randomUUID(), [{ text: 'x' }]))).toBe('NOT_FOUND');
  });

  it('lets a commander cancel a run, not a viewer, and not say how it ended', async () => {
    const run = await startedBy(scout);
    expect(errorCode(await finish(viewer, run.id, 'CANCELLED'))).toBe('FORBIDDEN');
    expect(errorCode(await finish(commander, run.id, 'SUCCEEDED'))).toBe('VALIDATION_ERROR');
    const cancelled = await finish(commander, run.id, 'CANCELLED', 'Wrong dunes.');
    expect(cancelled.data!.finishRun).toMatchObject({
      status: 'CANCELLED',
      summary: 'Wrong dunes.',
    });
  });

  it('never shows a run to another workspace', async () => {
    const run = await startedBy(scout);
    expect(errorCode(await gateway.gql(RUN, { ws, id: run.id }, outsider))).toBe('FORBIDDEN');
    expect(errorCode(await gateway.gql(RUN, { ws: otherWs, id: run.id }, outsider))).toBe(
      'NOT_FOUND',
    );
    const { runs } = await gateway.ok<{ runs: RunsView }>(RUNS, { ws: otherWs }, outsider);
    expect(runs.nodes).toEqual([]);
    expect(errorCode(await gateway.gql(RUNS, { ws }, outsider))).toBe('FORBIDDEN');
  });

  it('pages runs newest first, by mission, agent and status, and on the mission', async () => {
    const mission = await claimedMission(rover);
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const run = (await start(rover, mission)).data!.startRun;
      ids.push(run.id);
    }
    await finish(rover, ids[0]!, 'SUCCEEDED');
    const page = async (after?: string | null) =>
      (
        await gateway.ok<{ runs: RunsView }>(
          RUNS,
          { ws, mission, first: 2, after: after ?? null },
          viewer,
        )
      ).runs;
    const first = await page();
    expect(first.nodes.map((run) => run.id)).toEqual([ids[2], ids[1]]);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = await page(first.pageInfo.endCursor);
    expect(second.nodes.map((run) => run.id)).toEqual([ids[0]]);
    expect(second.pageInfo.hasNextPage).toBe(false);

    const running = await gateway.ok<{ runs: RunsView }>(
      RUNS,
      { ws, agent: rover.subject, status: 'RUNNING' },
      viewer,
    );
    expect(running.runs.nodes.map((run) => run.id)).toEqual([ids[2], ids[1]]);
    const onMission = await gateway.ok<{ mission: { runs: RunsView } }>(
      MISSION_RUNS,
      { ws, id: mission },
      viewer,
    );
    expect(onMission.mission.runs.nodes.map((run) => run.id)).toEqual([ids[2], ids[1], ids[0]]);
  });
});
