import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { memberPrincipal, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { PrismaService } from '../src/database/prisma.service';
import { errorCode, GatewayStandIn, missionTestConfig } from './mission-test-kit';

const PAGE = 'missions { id rank } totalCount pageInfo { endCursor hasNextPage }';
const BOARD = `query ($ws: ID!, $perColumn: Int) {
  board(workspaceId: $ws, perColumn: $perColumn) { workspaceId columns { column ${PAGE} } }
}`;
const COLUMN = `query ($ws: ID!, $column: BoardColumn!, $first: Int!, $after: String) {
  boardColumn(workspaceId: $ws, column: $column, first: $first, after: $after) { column ${PAGE} }
}`;
const CREATE = `mutation ($ws: ID!, $input: CreateMissionInput!) {
  createMission(workspaceId: $ws, input: $input) { id rank }
}`;

type Page = {
  missions: { id: string; rank: string }[];
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
};
type BoardView = { workspaceId: string; columns: (Page & { column: string })[] };

/** Ids that sort in the order given (UUID order is byte order, as the board's tie-break). */
const orderedIds = (count: number): string[] =>
  Array.from({ length: count }, () => randomUUID()).sort();

describe('board paging (mission subgraph, real Postgres)', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let prisma: PrismaService;

  beforeAll(async () => {
    const schemaFile = path.join(mkdtempSync(path.join(tmpdir(), 'board-sdl-')), 'schema.graphql');
    app = await startServiceApp(
      AppModule.forRoot(missionTestConfig({ MISSION_SCHEMA_FILE: schemaFile })),
    );
    gateway = new GatewayStandIn(app);
    prisma = app.get(PrismaService);
  });
  afterAll(async () => {
    await app?.close();
  });

  /** Read-model rows as the projection writes them: the board reads nothing else. */
  async function seed(
    workspaceId: string,
    column: string,
    missions: { id: string; rank: string }[],
  ): Promise<void> {
    const at = new Date();
    await prisma.mission.createMany({
      data: missions.map(({ id, rank }) => ({
        id,
        workspaceId,
        title: `Mission ${rank} of ${workspaceId}`,
        description: '',
        priority: 'medium',
        tags: [],
        column,
        rank,
        createdBy: 'seed',
        version: 1,
        createdAt: at,
        updatedAt: at,
      })),
    });
  }

  const board = async (by: Principal, perColumn?: number | null): Promise<BoardView> =>
    (await gateway.ok<{ board: BoardView }>(BOARD, { ws: by.workspaceId, perColumn }, by)).board;
  const columnOf = (view: BoardView, column: string) =>
    view.columns.find((entry) => entry.column === column)!;
  const page = async (by: Principal, column: string, first: number, after: string | null) =>
    (
      await gateway.ok<{ boardColumn: Page & { column: string } }>(
        COLUMN,
        { ws: by.workspaceId, column, first, after },
        by,
      )
    ).boardColumn;
  const ids = (list: { id: string }[]) => list.map((mission) => mission.id);

  describe('first pages', () => {
    const ws = randomUUID();
    const viewer = memberPrincipal(ws, 'viewer');
    // Byte order: upper case before lower case, shorter before longer at a shared prefix.
    const todo = [
      { id: randomUUID(), rank: 'Zz' },
      { id: randomUUID(), rank: 'a0' },
      { id: randomUUID(), rank: 'a0V' },
      { id: randomUUID(), rank: 'a1' },
      { id: randomUUID(), rank: 'b10' },
    ];
    const done = [{ id: randomUUID(), rank: 'a0' }];

    beforeAll(async () => {
      await seed(ws, 'todo', [...todo].reverse());
      await seed(ws, 'done', done);
    });

    it('holds the first perColumn missions of every column in rank order, with each count', async () => {
      const view = await board(viewer, 2);
      expect(view.columns.map((entry) => entry.column)).toEqual([
        'BACKLOG',
        'TODO',
        'IN_PROGRESS',
        'REVIEW',
        'DONE',
        'BLOCKED',
      ]);
      expect(columnOf(view, 'TODO')).toMatchObject({
        missions: todo.slice(0, 2),
        totalCount: 5,
        pageInfo: { hasNextPage: true, endCursor: expect.any(String) },
      });
      expect(columnOf(view, 'DONE')).toMatchObject({
        missions: done,
        totalCount: 1,
        pageInfo: { hasNextPage: false },
      });
      expect(columnOf(view, 'BACKLOG')).toEqual({
        column: 'BACKLOG',
        missions: [],
        totalCount: 0,
        pageInfo: { endCursor: null, hasNextPage: false },
      });
    });

    it('without perColumn holds every mission, as before, and says nothing follows', async () => {
      const view = await board(viewer);
      expect(columnOf(view, 'TODO')).toMatchObject({
        missions: todo,
        totalCount: 5,
        pageInfo: { hasNextPage: false },
      });
      expect(view.columns.reduce((sum, entry) => sum + entry.missions.length, 0)).toBe(6);
    });

    it('goes on after the first page with boardColumn, to the end of the column', async () => {
      const first = columnOf(await board(viewer, 2), 'TODO');
      const second = await page(viewer, 'TODO', 2, first.pageInfo.endCursor);
      expect(second).toMatchObject({
        column: 'TODO',
        missions: todo.slice(2, 4),
        totalCount: 5,
        pageInfo: { hasNextPage: true },
      });
      const last = await page(viewer, 'TODO', 2, second.pageInfo.endCursor);
      expect(last).toMatchObject({ missions: todo.slice(4), pageInfo: { hasNextPage: false } });
      expect((await page(viewer, 'TODO', 2, last.pageInfo.endCursor)).missions).toEqual([]);
      // Without a cursor, from the start of the column.
      expect(ids((await page(viewer, 'TODO', 3, null)).missions)).toEqual(ids(todo.slice(0, 3)));
    });
  });

  it('pages through equal ranks by id, missing and repeating none', async () => {
    const ws = randomUUID();
    const viewer = memberPrincipal(ws, 'viewer');
    const [a, b, c, d, e, f] = orderedIds(6) as [string, string, string, string, string, string];
    // Ranks a placement never makes twice, but the order must still be total.
    const column = [
      { id: b, rank: 'a0' },
      { id: a, rank: 'a1' },
      { id: c, rank: 'a1' },
      { id: d, rank: 'a1' },
      { id: f, rank: 'a1' },
      { id: e, rank: 'a2' },
    ];
    await seed(ws, 'review', column);
    for (const size of [1, 2, 4]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (let round = 0; round < 10; round += 1) {
        const next: Page = await page(viewer, 'REVIEW', size, after);
        expect(next.totalCount).toBe(6);
        seen.push(...ids(next.missions));
        if (!next.pageInfo.hasNextPage) {
          break;
        }
        after = next.pageInfo.endCursor;
      }
      expect(seen).toEqual(ids(column));
    }
  });

  it('pages missions created through the API, in the order they were placed', async () => {
    const ws = randomUUID();
    const commander = memberPrincipal(ws, 'mission_commander');
    const created: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const { createMission } = await gateway.ok<{ createMission: { id: string } }>(
        CREATE,
        { ws, input: { title: `Created ${index}`, column: 'BLOCKED' } },
        commander,
      );
      created.push(createMission.id);
    }
    const first = columnOf(await board(commander, 3), 'BLOCKED');
    expect(first).toMatchObject({ totalCount: 5, pageInfo: { hasNextPage: true } });
    const rest = await page(commander, 'BLOCKED', 3, first.pageInfo.endCursor);
    expect([...ids(first.missions), ...ids(rest.missions)]).toEqual(created);
    expect(rest.pageInfo.hasNextPage).toBe(false);
  });

  it('answers VALIDATION_ERROR naming the limit or the cursor, never a 500', async () => {
    const ws = randomUUID();
    const viewer = memberPrincipal(ws, 'viewer');
    for (const perColumn of [0, -5, 201]) {
      const body = await gateway.gql(BOARD, { ws, perColumn }, viewer);
      expect([errorCode(body), body.errors?.[0]?.message]).toEqual([
        'VALIDATION_ERROR',
        'perColumn must be between 1 and 200',
      ]);
    }
    for (const first of [0, 201]) {
      const body = await gateway.gql(COLUMN, { ws, column: 'TODO', first, after: null }, viewer);
      expect([errorCode(body), body.errors?.[0]?.message]).toEqual([
        'VALIDATION_ERROR',
        'first must be between 1 and 200',
      ]);
    }
    expect(columnOf(await board(viewer, 200), 'TODO').missions).toEqual([]);
    const junk = [
      'garbage',
      '%%%',
      Buffer.from('["a0"]').toString('base64url'),
      Buffer.from(`["a0' OR 1=1 --","${randomUUID()}"]`).toString('base64url'),
    ];
    for (const after of junk) {
      const body = await gateway.gql(COLUMN, { ws, column: 'TODO', first: 5, after }, viewer);
      expect(errorCode(body)).toBe('VALIDATION_ERROR');
      expect(body.errors?.[0]?.extensions.details).toEqual({
        fields: [{ path: 'after', message: 'not a cursor this board gave out' }],
      });
      expect(body.data).toBeNull();
    }
  });

  it('never shows one workspace’s missions to another, whatever column or cursor it sends', async () => {
    const wsA = randomUUID();
    const wsB = randomUUID();
    const viewerA = memberPrincipal(wsA, 'viewer');
    const adminB = memberPrincipal(wsB, 'admin');
    const missionsA = orderedIds(4).map((id, index) => ({ id, rank: `a${index}` }));
    const missionsB = orderedIds(2).map((id, index) => ({ id, rank: `a${index}V` }));
    await seed(wsA, 'todo', missionsA);
    await seed(wsB, 'todo', missionsB);

    // B asking for A's board or column, with or without A's cursor: refused, no data.
    const cursorOfA = columnOf(await board(viewerA, 1), 'TODO').pageInfo.endCursor;
    const refusals = [
      await gateway.gql(BOARD, { ws: wsA, perColumn: 2 }, adminB),
      await gateway.gql(BOARD, { ws: wsA }, adminB),
      await gateway.gql(COLUMN, { ws: wsA, column: 'TODO', first: 5, after: cursorOfA }, adminB),
      // Access is checked before the cursor: a bad one tells B nothing about A either.
      await gateway.gql(COLUMN, { ws: wsA, column: 'TODO', first: 5, after: 'junk' }, adminB),
    ];
    for (const body of refusals) {
      expect(errorCode(body)).toBe('FORBIDDEN');
      expect(body.data).toBeNull();
    }

    // A's cursor in B's own workspace: a position, nothing more; only B's missions come back.
    const inB = await page(adminB, 'TODO', 10, cursorOfA);
    expect(inB.totalCount).toBe(2);
    expect(ids(inB.missions)).toEqual(ids(missionsB));
    const boardB = await board(adminB, 10);
    expect(ids(columnOf(boardB, 'TODO').missions)).toEqual(ids(missionsB));
    expect(columnOf(boardB, 'TODO').totalCount).toBe(2);
    const everything = JSON.stringify(gateway.responses.slice(-7));
    for (const { id } of missionsA.slice(1)) {
      expect(everything).not.toContain(id);
    }
  });
});
