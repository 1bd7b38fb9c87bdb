import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { prismaQueryable } from '@mission-control/eventing';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { startServiceApp, memberPrincipal, agentPrincipal } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { missionEventStore } from '../src/eventing/mission-event-store';
import { MissionRelay } from '../src/eventing/mission-relay';
import {
  AgentServiceStandIn,
  errorCode,
  GatewayStandIn,
  missionTestConfig,
} from './mission-test-kit';

const MISSION_FIELDS =
  'id workspaceId title description priority tags column rank assigneeAgentId claimedBy version';
const CREATE = `mutation ($ws: ID!, $input: CreateMissionInput!) {
  createMission(workspaceId: $ws, input: $input) { ${MISSION_FIELDS} }
}`;
const UPDATE = `mutation ($ws: ID!, $id: ID!, $input: UpdateMissionInput!) {
  updateMission(workspaceId: $ws, missionId: $id, input: $input) { ${MISSION_FIELDS} }
}`;
const MOVE = `mutation ($ws: ID!, $id: ID!, $column: BoardColumn!, $beforeId: ID, $afterId: ID) {
  moveMission(workspaceId: $ws, missionId: $id, column: $column, beforeId: $beforeId, afterId: $afterId) { ${MISSION_FIELDS} }
}`;
const ASSIGN = `mutation ($ws: ID!, $id: ID!, $agentId: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agentId) { ${MISSION_FIELDS} }
}`;
const CLAIM = `mutation ($ws: ID!, $id: ID!) { claimMission(workspaceId: $ws, missionId: $id) { ${MISSION_FIELDS} } }`;
const COMMENT = `mutation ($ws: ID!, $id: ID!, $body: String!) {
  addComment(workspaceId: $ws, missionId: $id, body: $body) { id missionId author authorKind body mentions }
}`;
const BOARD = `query ($ws: ID!) { board(workspaceId: $ws) { workspaceId columns { column missions { id title rank } } } }`;
const MISSION = `query ($ws: ID!, $id: ID!) {
  mission(workspaceId: $ws, id: $id) {
    ${MISSION_FIELDS}
    comments { id author body mentions }
    timeline { version type occurredAt actorKind actorId data }
  }
}`;
const ENTITIES = `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Mission { id title } } }`;

type MissionView = {
  id: string;
  workspaceId: string;
  title: string;
  column: string;
  rank: string;
  assigneeAgentId: string | null;
  claimedBy: string | null;
  version: number;
};
type BoardView = { columns: { column: string; missions: { id: string; rank: string }[] }[] };
type Timeline = {
  version: number;
  type: string;
  actorKind: string;
  actorId: string;
  data: Record<string, unknown>;
}[];

const servedSchemaFile = path.join(
  mkdtempSync(path.join(tmpdir(), 'mission-sdl-')),
  'schema.graphql',
);
const COMMITTED_SCHEMA_FILE = path.join(__dirname, '..', 'schema.graphql');

describe('mission subgraph', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  const ws = randomUUID();
  const otherWs = randomUUID();
  const commander = memberPrincipal(ws, 'mission_commander');
  const viewer = memberPrincipal(ws, 'viewer');
  const outsider = memberPrincipal(otherWs, 'admin');

  let agents: AgentServiceStandIn;

  beforeAll(async () => {
    const config = missionTestConfig({ MISSION_SCHEMA_FILE: servedSchemaFile });
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app);
    agents = new AgentServiceStandIn(app, config);
  });
  afterAll(async () => {
    await agents?.close();
    await app?.close();
  });

  const create = async (
    title: string,
    by: Principal = commander,
    extra: Record<string, unknown> = {},
  ) =>
    (
      await gateway.ok<{ createMission: MissionView }>(
        CREATE,
        { ws: by.workspaceId, input: { title, ...extra } },
        by,
      )
    ).createMission;
  const move = (
    by: Principal,
    id: string,
    column: string,
    neighbours: { beforeId?: string; afterId?: string } = {},
  ) =>
    gateway.gql<{ moveMission: MissionView }>(
      MOVE,
      { ws: by.workspaceId, id, column, ...neighbours },
      by,
    );
  const column = async (name: string, by: Principal = commander): Promise<string[]> => {
    const { board } = await gateway.ok<{ board: BoardView }>(BOARD, { ws: by.workspaceId }, by);
    const found = board.columns.find((candidate) => candidate.column === name)!;
    const ranks = found.missions.map((mission) => mission.rank);
    // The board's order is the byte order of the ranks.
    expect([...ranks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ranks);
    return found.missions.map((mission) => mission.id);
  };

  it('serves the Federation 2 SDL that is committed for the gateway to compose', () => {
    const served = readFileSync(servedSchemaFile, 'utf8');
    expect(served).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
    expect(served).toMatch(/type Mission\s+@key\(fields: "id"\)/);
    // When this fails: commit the new services/mission/schema.graphql, then `npx nx run gateway:compose`.
    expect(served).toBe(readFileSync(COMMITTED_SCHEMA_FILE, 'utf8'));
  });

  it('creates a mission into the backlog, visible on the board to a viewer', async () => {
    const mission = await create('Land on the moon', commander, {
      description: '**Carefully**',
      priority: 'HIGH',
      tags: ['Apollo', 'moon'],
    });
    expect(mission).toMatchObject({
      workspaceId: ws,
      column: 'BACKLOG',
      version: 1,
      tags: ['apollo', 'moon'],
    });
    const { board } = await gateway.ok<{ board: BoardView }>(BOARD, { ws }, viewer);
    expect(board.columns.map((entry) => entry.column)).toEqual([
      'BACKLOG',
      'TODO',
      'IN_PROGRESS',
      'REVIEW',
      'DONE',
      'BLOCKED',
    ]);
    expect(board.columns[0]!.missions.map((entry) => entry.id)).toContain(mission.id);
    // The creator's answer is the mission as everyone reads it afterwards, to the millisecond.
    const fields = `${MISSION_FIELDS} createdBy createdAt updatedAt`;
    const asCreated = await gateway.ok<{ createMission: Record<string, unknown> }>(
      `mutation ($ws: ID!, $input: CreateMissionInput!) { createMission(workspaceId: $ws, input: $input) { ${fields} } }`,
      { ws, input: { title: 'Read me back', tags: ['Echo'], column: 'BLOCKED' } },
      commander,
    );
    const readBack = await gateway.ok<{ mission: Record<string, unknown> }>(
      `query ($ws: ID!, $id: ID!) { mission(workspaceId: $ws, id: $id) { ${fields} } }`,
      { ws, id: asCreated.createMission.id },
      viewer,
    );
    expect(asCreated.createMission).toEqual(readBack.mission);
  });

  it('answers VALIDATION_ERROR for bad input', async () => {
    expect(errorCode(await gateway.gql(CREATE, { ws, input: { title: '   ' } }, commander))).toBe(
      'VALIDATION_ERROR',
    );
    const mission = await create('Valid');
    expect(errorCode(await gateway.gql(UPDATE, { ws, id: mission.id, input: {} }, commander))).toBe(
      'VALIDATION_ERROR',
    );
    expect(errorCode(await move(commander, mission.id, 'TODO', { afterId: randomUUID() }))).toBe(
      'VALIDATION_ERROR',
    );
  });

  it('answers a malformed id with VALIDATION_ERROR naming the argument', async () => {
    const mission = await create('Well-formed');
    const answers = await Promise.all([
      gateway.gql(MISSION, { ws, id: 'xyz' }, viewer),
      move(commander, mission.id, 'TODO', { afterId: 'first' }),
      gateway.gql(CLAIM, { ws: 'ws-1', id: mission.id }, commander),
    ]);
    expect(answers.map((body) => [errorCode(body), body.errors?.[0]?.message])).toEqual([
      ['VALIDATION_ERROR', 'id: must be a valid id (a UUID)'],
      ['VALIDATION_ERROR', 'afterId: must be a valid id (a UUID)'],
      ['VALIDATION_ERROR', 'workspaceId: must be a valid id (a UUID)'],
    ]);
  });

  it('updates a mission’s details', async () => {
    const mission = await create('Draft');
    const { updateMission } = await gateway.ok<{
      updateMission: MissionView & { priority: string };
    }>(UPDATE, { ws, id: mission.id, input: { title: 'Final', priority: 'URGENT' } }, commander);
    expect(updateMission).toMatchObject({ title: 'Final', priority: 'URGENT', version: 2 });
  });

  it('moves between columns exactly where the neighbours say', async () => {
    const [a, b, c, d] = [
      await create('A'),
      await create('B'),
      await create('C'),
      await create('D'),
    ];
    for (const mission of [a, b, c]) {
      expect((await move(commander, mission.id, 'TODO')).errors).toBeUndefined();
    }
    expect(await column('TODO')).toEqual([a.id, b.id, c.id]);
    // Between a and b, named by afterId.
    await move(commander, d.id, 'TODO', { afterId: a.id });
    expect(await column('TODO')).toEqual([a.id, d.id, b.id, c.id]);
    // To the top, named by beforeId.
    await move(commander, c.id, 'TODO', { beforeId: a.id });
    expect(await column('TODO')).toEqual([c.id, a.id, d.id, b.id]);
    // Both neighbours, within the column.
    await move(commander, c.id, 'TODO', { afterId: d.id, beforeId: b.id });
    expect(await column('TODO')).toEqual([a.id, d.id, c.id, b.id]);
    // Out to another column, and many drops into one gap keep the order.
    await move(commander, b.id, 'REVIEW');
    expect(await column('TODO')).toEqual([a.id, d.id, c.id]);
    for (let round = 0; round < 10; round += 1) {
      const [first, second] = round % 2 === 0 ? [d, c] : [c, d];
      await move(commander, second.id, 'TODO', { afterId: a.id, beforeId: first.id });
    }
    expect(await column('TODO')).toEqual([a.id, d.id, c.id]);
    expect(await column('REVIEW')).toEqual([b.id]);
  });

  it('assigns a mission, and the assigned agent claims and works it', async () => {
    const scout = agentPrincipal(ws, await agents.activeAgent(ws));
    const rover = agentPrincipal(ws);
    const mission = await create('Survey the crater');
    const { assignMission } = await gateway.ok<{ assignMission: MissionView }>(
      ASSIGN,
      { ws, id: mission.id, agentId: scout.subject },
      commander,
    );
    expect(assignMission.assigneeAgentId).toBe(scout.subject);

    // Not claimed yet: the agent may not move it.
    expect(errorCode(await move(scout, mission.id, 'IN_PROGRESS'))).toBe('FORBIDDEN');
    // Another agent may not claim it; a person cannot claim.
    expect(errorCode(await gateway.gql(CLAIM, { ws, id: mission.id }, rover))).toBe('FORBIDDEN');
    expect(errorCode(await gateway.gql(CLAIM, { ws, id: mission.id }, commander))).toBe(
      'FORBIDDEN',
    );

    const { claimMission } = await gateway.ok<{ claimMission: MissionView }>(
      CLAIM,
      { ws, id: mission.id },
      scout,
    );
    expect(claimMission.claimedBy).toBe(scout.subject);
    const moved = await move(scout, mission.id, 'IN_PROGRESS');
    expect(moved.data?.moveMission.column).toBe('IN_PROGRESS');
    const { addComment } = await gateway.ok<{ addComment: { authorKind: string; author: string } }>(
      COMMENT,
      { ws, id: mission.id, body: 'On it' },
      scout,
    );
    expect(addComment).toMatchObject({ author: scout.subject, authorKind: 'agent' });
    // Neither may the other agent touch it, nor create missions.
    expect(errorCode(await move(rover, mission.id, 'DONE'))).toBe('FORBIDDEN');
    expect(
      errorCode(await gateway.gql(COMMENT, { ws, id: mission.id, body: 'me too' }, rover)),
    ).toBe('FORBIDDEN');
    expect(errorCode(await gateway.gql(CREATE, { ws, input: { title: 'x' } }, scout))).toBe(
      'FORBIDDEN',
    );

    // Reassigning drops the claim.
    const reassigned = await gateway.ok<{ assignMission: MissionView }>(
      ASSIGN,
      { ws, id: mission.id, agentId: null },
      commander,
    );
    expect(reassigned.assignMission).toMatchObject({ assigneeAgentId: null, claimedBy: null });
  });

  it('assigns only an active agent of the workspace, and never says another workspace has it', async () => {
    const mission = await create('Who takes it');
    const assign = (agentId: string | null) =>
      gateway.gql<{ assignMission: MissionView }>(
        ASSIGN,
        { ws, id: mission.id, agentId },
        commander,
      );
    const refusal = async (agentId: string) => {
      const body = await assign(agentId);
      expect(body.data ?? null).toBeNull();
      return body.errors![0]!;
    };

    // Any string used to do; now a malformed id is refused naming the argument.
    const malformed = await refusal('not-an-agent');
    expect(malformed.extensions).toMatchObject({ code: 'VALIDATION_ERROR' });
    expect(malformed.message).toMatch(/^agentId: /);

    // An unknown agent and another workspace's active agent get the very same answer.
    const elsewhere = await agents.activeAgent(otherWs);
    const unknown = await refusal(randomUUID());
    const foreign = await refusal(elsewhere);
    expect(foreign.message).toBe(unknown.message);
    expect({ ...foreign.extensions, requestId: null }).toEqual({
      ...unknown.extensions,
      requestId: null,
    });
    expect(unknown.extensions).toMatchObject({ code: 'VALIDATION_ERROR', retryable: true });
    expect(unknown.message).toMatch(/no agent of this workspace.*try again/);

    // Registered but never activated, or deactivated: refused, saying why.
    const dormant = await agents.registeredAgent(ws);
    expect(await refusal(dormant)).toMatchObject({
      message: expect.stringMatching(/inactive agent/),
      extensions: expect.objectContaining({ code: 'VALIDATION_ERROR', retryable: false }),
    });
    const active = await agents.activeAgent(ws);
    const assigned = await gateway.ok<{ assignMission: MissionView }>(
      ASSIGN,
      { ws, id: mission.id, agentId: active },
      commander,
    );
    expect(assigned.assignMission.assigneeAgentId).toBe(active);
    await agents.deactivate(ws, active);
    expect((await refusal(active)).message).toMatch(/inactive agent/);
    // Unassigning needs no agent.
    expect((await assign(null)).data?.assignMission.assigneeAgentId).toBeNull();
  });

  it('refuses control and bidi characters in titles, tags and comments, naming the field', async () => {
    const mission = await create('Clean title');
    const refused = [
      await gateway.gql(CREATE, { ws, input: { title: 'evil\u202Egpj.exe' } }, commander),
      await gateway.gql(CREATE, { ws, input: { title: 'ok', tags: ['\u001b[31mred'] } }, commander),
      await gateway.gql(
        UPDATE,
        { ws, id: mission.id, input: { description: 'fine\n\u001b[2Jcleared' } },
        commander,
      ),
      await gateway.gql(COMMENT, { ws, id: mission.id, body: 'pay \u2066me\u2069' }, commander),
    ];
    expect(refused.map((body) => [errorCode(body), body.errors?.[0]?.message])).toEqual([
      ['VALIDATION_ERROR', expect.stringMatching(/^data\.title: must not contain control/)],
      ['VALIDATION_ERROR', expect.stringMatching(/^data\.tags\.0: must not contain control/)],
      ['VALIDATION_ERROR', expect.stringMatching(/^data\.description: must not contain control/)],
      ['VALIDATION_ERROR', expect.stringMatching(/^data\.body: must not contain control/)],
    ]);
    // Line breaks and tabs stay welcome in multi-line text.
    const { updateMission } = await gateway.ok<{ updateMission: { description: string } }>(
      `mutation ($ws: ID!, $id: ID!, $input: UpdateMissionInput!) {
        updateMission(workspaceId: $ws, missionId: $id, input: $input) { description }
      }`,
      { ws, id: mission.id, input: { description: 'step 1\r\n\tstep 2' } },
      commander,
    );
    expect(updateMission.description).toBe('step 1\n\tstep 2');
  });

  it('stores comments with their @mentions and returns them with the mission', async () => {
    const mission = await create('Write the report');
    const { addComment } = await gateway.ok<{ addComment: { mentions: string[]; body: string } }>(
      COMMENT,
      {
        ws,
        id: mission.id,
        body: 'Over to you @Scout, cc @ada.l (not ada@example.com) and @scout',
      },
      commander,
    );
    expect(addComment.mentions).toEqual(['scout', 'ada.l']);
    const { mission: read } = await gateway.ok<{
      mission: { comments: { mentions: string[]; author: string }[] };
    }>(MISSION, { ws, id: mission.id }, viewer);
    expect(read.comments).toEqual([
      expect.objectContaining({ author: commander.subject, mentions: ['scout', 'ada.l'] }),
    ]);
  });

  it('lists every event of a mission in order as its timeline', async () => {
    const scout = agentPrincipal(ws, await agents.activeAgent(ws));
    const mission = await create('Timeline');
    await gateway.ok(UPDATE, { ws, id: mission.id, input: { tags: ['t'] } }, commander);
    await move(commander, mission.id, 'TODO');
    await gateway.ok(ASSIGN, { ws, id: mission.id, agentId: scout.subject }, commander);
    await gateway.ok(CLAIM, { ws, id: mission.id }, scout);
    await gateway.ok(COMMENT, { ws, id: mission.id, body: 'hi @ops' }, scout);
    const { mission: read } = await gateway.ok<{ mission: MissionView & { timeline: Timeline } }>(
      MISSION,
      { ws, id: mission.id },
      viewer,
    );
    expect(read.version).toBe(6);
    expect(read.timeline.map((entry) => [entry.version, entry.type, entry.actorKind])).toEqual([
      [1, 'mission.v1.MissionCreated', 'user'],
      [2, 'mission.v1.MissionUpdated', 'user'],
      [3, 'mission.v1.MissionMoved', 'user'],
      [4, 'mission.v1.MissionAssigned', 'user'],
      [5, 'mission.v1.MissionClaimed', 'agent'],
      [6, 'mission.v1.CommentAdded', 'agent'],
    ]);
    expect(read.timeline[2]!.data).toMatchObject({ fromColumn: 'backlog', toColumn: 'todo' });
    expect(read.timeline[4]).toMatchObject({
      actorId: scout.subject,
      data: { agentId: scout.subject },
    });
  });

  it('refuses a viewer every change with FORBIDDEN', async () => {
    const mission = await create('Viewer target');
    expect(errorCode(await gateway.gql(CREATE, { ws, input: { title: 'x' } }, viewer))).toBe(
      'FORBIDDEN',
    );
    expect(
      errorCode(await gateway.gql(UPDATE, { ws, id: mission.id, input: { title: 'y' } }, viewer)),
    ).toBe('FORBIDDEN');
    expect(errorCode(await move(viewer, mission.id, 'DONE'))).toBe('FORBIDDEN');
    expect(
      errorCode(await gateway.gql(ASSIGN, { ws, id: mission.id, agentId: randomUUID() }, viewer)),
    ).toBe('FORBIDDEN');
    expect(errorCode(await gateway.gql(COMMENT, { ws, id: mission.id, body: 'x' }, viewer))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await gateway.gql(BOARD, { ws }))).toBe('UNAUTHENTICATED');
  });

  it('gives another workspace NOT_FOUND or FORBIDDEN and no data, for every operation', async () => {
    const mission = await create('Secret plan', commander, { description: 'classified-7f3a' });
    const outsiderAgent = agentPrincipal(otherWs, await agents.activeAgent(otherWs));
    const before = gateway.responses.length;
    const attempts: { call: Promise<{ data?: unknown; errors?: unknown[] }>; codes: string[] }[] =
      [];
    // Through the victim's workspace id: FORBIDDEN. Through its own, with the victim's ids: NOT_FOUND.
    for (const [workspace, codes] of [
      [ws, ['FORBIDDEN']],
      [otherWs, ['NOT_FOUND']],
    ] as const) {
      const calls = [
        gateway.gql(BOARD, { ws: workspace }, outsider),
        gateway.gql(MISSION, { ws: workspace, id: mission.id }, outsider),
        gateway.gql(UPDATE, { ws: workspace, id: mission.id, input: { title: 'pwned' } }, outsider),
        gateway.gql(MOVE, { ws: workspace, id: mission.id, column: 'DONE' }, outsider),
        gateway.gql(ASSIGN, { ws: workspace, id: mission.id, agentId: randomUUID() }, outsider),
        gateway.gql(CLAIM, { ws: workspace, id: mission.id }, outsiderAgent),
        gateway.gql(COMMENT, { ws: workspace, id: mission.id, body: 'pwned' }, outsider),
      ];
      // The board of the outsider's own workspace is simply empty of the victim's missions.
      attempts.push(
        ...calls.slice(workspace === otherWs ? 1 : 0).map((call) => ({ call, codes: [...codes] })),
      );
    }
    for (const { call, codes } of attempts) {
      const body = await call;
      expect(codes).toContain(errorCode(body as never));
      expect(body.data ?? null).toBeNull();
    }
    // A neighbour id from another workspace is no neighbour.
    const own = await create('Outsider own', memberPrincipal(otherWs, 'mission_commander'));
    expect(errorCode(await move(outsider, own.id, 'TODO', { afterId: mission.id }))).toBe(
      'VALIDATION_ERROR',
    );
    // Entity lookups never hand another workspace's mission out; its own workspace gets it.
    const entities = await gateway.gql<{ _entities: unknown[] }>(
      ENTITIES,
      { reps: [{ __typename: 'Mission', id: mission.id }] },
      outsider,
    );
    expect(entities.data?._entities ?? [null]).toEqual([null]);
    const ownLookup = await gateway.ok<{ _entities: { id: string }[] }>(
      ENTITIES,
      { reps: [{ __typename: 'Mission', id: mission.id }] },
      commander,
    );
    expect(ownLookup._entities).toEqual([{ id: mission.id, title: 'Secret plan' }]);
    const leaked = gateway.responses.slice(before, -1).join('\n');
    expect(leaked).not.toContain('classified-7f3a');
    expect(leaked).not.toContain('Secret plan');
    // And nothing changed.
    const { mission: after } = await gateway.ok<{ mission: MissionView & { timeline: Timeline } }>(
      MISSION,
      { ws, id: mission.id },
      viewer,
    );
    expect(after).toMatchObject({ title: 'Secret plan', column: 'BACKLOG', version: 1 });
  });

  it('gives twelve cards created at once at the end of one column twelve distinct ranks', async () => {
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, n) =>
        create(`Burst ${n}`, commander, { column: 'IN_PROGRESS' }),
      ),
    );
    expect(new Set(created.map((mission) => mission.rank)).size).toBe(12);
    // Every one is on the board, in rank order (`column` checks the order).
    expect(await column('IN_PROGRESS')).toEqual(
      expect.arrayContaining(created.map((mission) => mission.id)),
    );
  });

  it('applies two concurrent moves one after the other, losing neither', async () => {
    const anchor = await create('Anchor');
    const mission = await create('Contended');
    const [first, second] = await Promise.all([
      move(commander, mission.id, 'REVIEW'),
      move(commander, mission.id, 'DONE'),
    ]);
    const outcomes = [first, second].map((body) => errorCode(body) ?? 'ok');
    expect(outcomes.every((outcome) => outcome === 'ok' || outcome === 'CONFLICT')).toBe(true);
    const { mission: read } = await gateway.ok<{ mission: MissionView & { timeline: Timeline } }>(
      MISSION,
      { ws, id: mission.id },
      commander,
    );
    const moves = read.timeline.filter((entry) => entry.type === 'mission.v1.MissionMoved');
    expect(moves).toHaveLength(outcomes.filter((outcome) => outcome === 'ok').length);
    // The read model is the last move in the stream: no update was lost or applied out of order.
    const last = moves[moves.length - 1]!.data as { toColumn: string; rank: string };
    expect(read.column).toBe(last.toColumn.toUpperCase());
    expect(read.rank).toBe(last.rank);
    expect(read.version).toBe(1 + moves.length);
    // Concurrent drops of two cards at the end of one column get distinct ranks.
    const other = await create('Contended 2');
    await Promise.all([
      move(commander, anchor.id, 'BLOCKED'),
      move(commander, other.id, 'BLOCKED'),
    ]);
    const { board } = await gateway.ok<{ board: BoardView }>(BOARD, { ws }, commander);
    const blocked = board.columns.find((entry) => entry.column === 'BLOCKED')!.missions;
    expect(new Set(blocked.map((entry) => entry.rank)).size).toBe(blocked.length);
  });

  it('keeps a valid hash chain and publishes every event to Kafka', async () => {
    const prisma = app.get(PrismaService);
    const report = await missionEventStore.verify(prismaQueryable(prisma));
    // Other suites of this run write raw rows into the shared log: judge the mission streams only.
    expect(report.problems.filter((problem) => problem.streamId.startsWith('mission-'))).toEqual(
      [],
    );
    expect(report.eventsChecked).toBeGreaterThan(20);

    const relay = app.get(MissionRelay);
    const deadline = Date.now() + 20_000;
    while ((await relay.lag()).events > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect((await relay.lag()).events).toBe(0);
    expect(relay.publishedCount).toBeGreaterThan(20);
  });
});
