import type { BoardColumn } from '../../graphql/generated';
import type { LiveEvent } from '../../lib/live/live-event';
import {
  appendPage,
  applyMissionEvent,
  BOARD_COLUMNS,
  type BoardColumns,
  type BoardMission,
  type BoardState,
  boardStateOf,
  columnCountLabel,
  countMissions,
  describeMissionEvent,
  emptyBoard,
  emptyColumns,
  missingCards,
  parseTags,
  perColumnFor,
  placeMission,
  planMove,
  upsertByRank,
  withColumns,
} from './board-model';

const mission = (
  id: string,
  rank: string,
  overrides: Partial<BoardMission> = {},
): BoardMission => ({
  id,
  title: `Mission ${id}`,
  priority: 'MEDIUM',
  tags: [],
  column: 'TODO',
  rank,
  assigneeAgentId: null,
  updatedAt: '2025-01-01T00:00:00Z',
  activeRun: null,
  ...overrides,
});

const board = (partial: Partial<BoardColumns>): BoardColumns => ({ ...emptyColumns(), ...partial });

type Served = Partial<Record<BoardColumn, [BoardMission[], number?]>>;

/** The board as the server sends it: each column complete unless its total says more. */
const served = (columns: Served) =>
  boardStateOf({
    workspaceId: 'w1',
    columns: BOARD_COLUMNS.filter((column) => columns[column]).map((column) => {
      const [missions, total = missions.length] = columns[column]!;
      return {
        column,
        missions,
        totalCount: total,
        pageInfo: {
          hasNextPage: total > missions.length,
          endCursor: missions.length > 0 ? `cursor-${missions.at(-1)!.id}` : null,
        },
      };
    }),
  });

/** A board where every column is complete (nothing left to load). */
const complete = (partial: Partial<BoardColumns>): BoardState =>
  served(Object.fromEntries(Object.entries(partial).map(([column, list]) => [column, [list]])));

const event = (type: string, data: Record<string, unknown>, subject = 'm1'): LiveEvent => ({
  id: `e-${type}`,
  type,
  subject: `mission-${subject}`,
  workspaceId: 'w1',
  time: '2025-02-02T10:00:00Z',
  actor: 'user:u2',
  data,
  position: 'p',
});

const ids = (list: BoardMission[]) => list.map((m) => m.id);
const applied = (state: BoardState, live: LiveEvent): BoardState => {
  const next = applyMissionEvent(state, live);
  if (typeof next === 'string') {
    throw new Error(`expected a new board, got ${next}`);
  }
  return next;
};
const counts = (state: BoardState) =>
  Object.fromEntries(
    Object.entries(state.paging)
      .filter(([, paging]) => paging.totalCount > 0)
      .map(([column, paging]) => [column, paging.totalCount]),
  );

describe('rank order', () => {
  it('holds every column, in the order the server sent', () => {
    const { columns } = served({ TODO: [[mission('b', 'a0'), mission('a', 'a1')]] });
    expect(ids(columns.TODO)).toEqual(['b', 'a']);
    expect(columns.DONE).toEqual([]);
  });

  it('inserts a mission where its rank says', () => {
    const columns = board({ TODO: [mission('a', 'a0'), mission('c', 'a2')] });
    expect(ids(upsertByRank(columns, mission('b', 'a1')).TODO)).toEqual(['a', 'b', 'c']);
  });

  it('compares ranks byte-wise, not by locale: upper case sorts before lower case', () => {
    const columns = board({ TODO: [mission('a', 'Zz'), mission('c', 'a0V')] });
    expect(ids(upsertByRank(columns, mission('b', 'a0')).TODO)).toEqual(['a', 'b', 'c']);
  });
});

describe('parseTags', () => {
  it('splits on commas, trims and drops duplicates and blanks', () => {
    expect(parseTags(' ui, backend ,,ui ')).toEqual(['ui', 'backend']);
  });
});

describe('describeMissionEvent', () => {
  it('names the mission and where it went', () => {
    const columns = board({ TODO: [mission('m1', 'a0', { title: 'Fix login' })] });
    expect(
      describeMissionEvent(
        columns,
        event('mission.v1.MissionMoved', {
          missionId: 'm1',
          toColumn: 'BOARD_COLUMN_REVIEW',
          rank: 'b',
        }),
      ),
    ).toBe('Fix login moved to Review');
    expect(
      describeMissionEvent(columns, event('mission.v1.CommentAdded', { missionId: 'm1' })),
    ).toBeNull();
  });

  it('says when a run starts or ends on a card it shows', () => {
    const running = board({
      TODO: [
        mission('m1', 'a0', {
          title: 'Fix login',
          activeRun: { id: 'r1', agentId: 'a1', startedAt: '2025-02-02T09:00:00Z' },
        }),
      ],
    });
    expect(
      describeMissionEvent(
        running,
        event('mission.v1.RunStarted', { runId: 'r2', missionId: 'm1', agentId: 'a1' }, 'r2'),
      ),
    ).toBe('A run started on Fix login');
    expect(
      describeMissionEvent(running, event('mission.v1.RunFinished', { runId: 'r1' }, 'r1')),
    ).toBe('The run on Fix login ended');
    expect(
      describeMissionEvent(running, event('mission.v1.RunFinished', { runId: 'r9' }, 'r9')),
    ).toBeNull();
  });
});

describe('planMove', () => {
  const columns = board({
    TODO: [mission('a', 'a0'), mission('b', 'a1'), mission('c', 'a2')],
    DONE: [mission('d', 'a0', { column: 'DONE' })],
  });

  it('moves within a column and names both neighbours', () => {
    const move = planMove(columns, 'a', 'TODO', 2);
    expect(move && ids(move.columns.TODO)).toEqual(['b', 'c', 'a']);
    expect(move).toMatchObject({ afterId: 'c', beforeId: null });
  });

  it('moves to the top of another column', () => {
    const move = planMove(columns, 'b', 'DONE', 0);
    expect(move && ids(move.columns.TODO)).toEqual(['a', 'c']);
    expect(move && ids(move.columns.DONE)).toEqual(['b', 'd']);
    expect(move?.columns.DONE[0]?.column).toBe('DONE');
    expect(move).toMatchObject({ afterId: null, beforeId: 'd' });
  });

  it('moves into an empty column with no neighbours', () => {
    expect(planMove(columns, 'c', 'BLOCKED', 0)).toMatchObject({ afterId: null, beforeId: null });
  });

  it('is null when the mission stays where it is, so nothing is sent', () => {
    expect(planMove(columns, 'b', 'TODO', 1)).toBeNull();
    expect(planMove(columns, 'zzz', 'TODO', 0)).toBeNull();
  });

  it('leaves the original board untouched, ready for a rollback', () => {
    planMove(columns, 'a', 'DONE', 1);
    expect(ids(columns.TODO)).toEqual(['a', 'b', 'c']);
  });
});

describe('applyMissionEvent on a board with every mission loaded', () => {
  const state = complete({ TODO: [mission('m1', 'a0'), mission('m2', 'a1')] });

  it('moves a mission to its new column, in rank order, and the counts follow', () => {
    const moved = applied(
      state,
      event(
        'mission.v1.MissionMoved',
        {
          missionId: 'm2',
          fromColumn: 'BOARD_COLUMN_TODO',
          toColumn: 'BOARD_COLUMN_IN_PROGRESS',
          rank: 'a0',
        },
        'm2',
      ),
    );
    expect(ids(moved.columns.TODO)).toEqual(['m1']);
    expect(moved.columns.IN_PROGRESS).toEqual([
      expect.objectContaining({ id: 'm2', column: 'IN_PROGRESS', rank: 'a0' }),
    ]);
    expect(counts(moved)).toEqual({ TODO: 1, IN_PROGRESS: 1 });
  });

  it('reorders within a column', () => {
    const next = applied(
      state,
      event('mission.v1.MissionMoved', {
        missionId: 'm1',
        toColumn: 'BOARD_COLUMN_TODO',
        rank: 'a2',
      }),
    );
    expect(ids(next.columns.TODO)).toEqual(['m2', 'm1']);
    expect(counts(next)).toEqual({ TODO: 2 });
  });

  it('adds a created mission once, with protobuf defaults filled in', () => {
    const created = event(
      'mission.v1.MissionCreated',
      {
        missionId: 'm3',
        title: 'Ship it',
        priority: 'PRIORITY_URGENT',
        tags: ['release'],
        rank: 'a5',
      },
      'm3',
    );
    const next = applied(state, created);
    expect(next.columns.BACKLOG).toEqual([
      expect.objectContaining({
        id: 'm3',
        title: 'Ship it',
        priority: 'URGENT',
        tags: ['release'],
      }),
    ]);
    expect(countMissions(next)).toBe(3);
    expect(applyMissionEvent(next, created)).toBe('unchanged');
  });

  it('patches details and assignment where the mission stands', () => {
    const updated = applied(
      state,
      event('mission.v1.MissionUpdated', {
        missionId: 'm1',
        title: 'Renamed',
        priority: 'PRIORITY_HIGH',
      }),
    );
    expect(updated.columns.TODO[0]).toMatchObject({
      id: 'm1',
      title: 'Renamed',
      priority: 'HIGH',
      tags: [],
    });
    const assigned = applied(
      updated,
      event('mission.v1.MissionAssigned', { missionId: 'm1', agentId: 'a9' }),
    );
    expect(assigned.columns.TODO[0]?.assigneeAgentId).toBe('a9');
    const unassigned = applied(assigned, event('mission.v1.MissionAssigned', { missionId: 'm1' }));
    expect(unassigned.columns.TODO[0]?.assigneeAgentId).toBeNull();
  });

  it('asks for a refetch when a mission it should know is missing, or the type is new', () => {
    expect(
      applyMissionEvent(
        state,
        event(
          'mission.v1.MissionMoved',
          { missionId: 'x', toColumn: 'BOARD_COLUMN_DONE', rank: 'a' },
          'x',
        ),
      ),
    ).toBe('refetch');
    expect(
      applyMissionEvent(state, event('mission.v1.MissionUpdated', { missionId: 'x' }, 'x')),
    ).toBe('refetch');
    expect(applyMissionEvent(state, event('mission.v1.MissionArchived', { missionId: 'm1' }))).toBe(
      'refetch',
    );
  });

  it('shows the run going on on its card from its start, by whom, until it ends', () => {
    const started = applied(
      state,
      event(
        'mission.v1.RunStarted',
        { runId: 'r1', missionId: 'm2', agentId: 'a7', adapter: 'shell' },
        'r1',
      ),
    );
    expect(started.columns.TODO.map((card) => card.activeRun)).toEqual([
      null,
      { id: 'r1', agentId: 'a7', startedAt: '2025-02-02T10:00:00Z' },
    ]);
    // Usage and log lines change no card.
    for (const type of ['RunLogAppended', 'RunUsageReported']) {
      expect(applyMissionEvent(started, event(`mission.v1.${type}`, { runId: 'r1' }, 'r1'))).toBe(
        'unchanged',
      );
    }
    const finished = applied(
      started,
      event('mission.v1.RunFinished', { runId: 'r1', outcome: 'RUN_OUTCOME_SUCCEEDED' }, 'r1'),
    );
    expect(finished.columns.TODO.map((card) => card.activeRun)).toEqual([null, null]);
    expect(finished.paging).toEqual(state.paging);
  });

  it('asks again when a run starts on a mission it should know and does not', () => {
    expect(
      applyMissionEvent(
        state,
        event('mission.v1.RunStarted', { runId: 'r1', missionId: 'x', agentId: 'a7' }, 'r1'),
      ),
    ).toBe('refetch');
  });

  it('leaves the board alone for comments, runs no card shows and other contexts', () => {
    expect(applyMissionEvent(state, event('mission.v1.CommentAdded', { missionId: 'm1' }))).toBe(
      'unchanged',
    );
    for (const type of ['RunLogAppended', 'RunUsageReported', 'RunFinished']) {
      expect(applyMissionEvent(state, event(`mission.v1.${type}`, { runId: 'r1' }, 'r1'))).toBe(
        'unchanged',
      );
    }
    expect(applyMissionEvent(state, event('agent.v1.AgentStatusChanged', {}))).toBe('unchanged');
  });
});

describe('a board with part of a column loaded', () => {
  // To do shows its first 3 of 120 (ranks a1..a3); Done is complete.
  const todo = [mission('t1', 'a1'), mission('t2', 'a3'), mission('t3', 'a5')];
  const done = [mission('d1', 'a0', { column: 'DONE' })];
  const state = served({ TODO: [todo, 120], DONE: [done] });

  const created = (id: string, rank: string, column = 'BOARD_COLUMN_TODO') =>
    event('mission.v1.MissionCreated', { missionId: id, title: `New ${id}`, column, rank }, id);
  const moved = (id: string, from: string, to: string, rank: string) =>
    event(
      'mission.v1.MissionMoved',
      { missionId: id, fromColumn: `BOARD_COLUMN_${from}`, toColumn: `BOARD_COLUMN_${to}`, rank },
      id,
    );

  it('keeps each column’s count and where its loaded part ends', () => {
    expect(state.paging.TODO).toEqual({
      totalCount: 120,
      hasNextPage: true,
      endCursor: 'cursor-t3',
      loadedTo: { rank: 'a5', id: 't3' },
    });
    expect(columnCountLabel(state, 'TODO')).toBe('3 of 120');
    expect(columnCountLabel(state, 'DONE')).toBe('1');
    expect(countMissions(state)).toBe(121);
    expect(columnCountLabel(served({ TODO: [todo, 1240] }), 'TODO')).toBe('3 of 1,240');
  });

  it('counts a mission created past the loaded part without showing it, once however often heard', () => {
    const next = applied(state, created('n1', 'b0'));
    expect(ids(next.columns.TODO)).toEqual(['t1', 't2', 't3']);
    expect(columnCountLabel(next, 'TODO')).toBe('3 of 121');
    expect(applyMissionEvent(next, created('n1', 'b0'))).toBe('unchanged');
  });

  it('shows a mission created inside the loaded part, where its rank says', () => {
    const next = applied(state, created('n2', 'a2'));
    expect(ids(next.columns.TODO)).toEqual(['t1', 'n2', 't2', 't3']);
    expect(next.paging.TODO.totalCount).toBe(121);
  });

  it('counts a mission moved in past the loaded part and drops it from where it was', () => {
    const next = applied(state, moved('d1', 'DONE', 'TODO', 'c0'));
    expect(next.columns.DONE).toEqual([]);
    expect(ids(next.columns.TODO)).toEqual(['t1', 't2', 't3']);
    expect(counts(next)).toEqual({ TODO: 121 });
    // Heard again: already counted where it went.
    expect(counts(applied(next, moved('d1', 'DONE', 'TODO', 'c0')))).toEqual({ TODO: 121 });
  });

  it('counts a shown mission moved out one less', () => {
    const next = applied(state, moved('t2', 'TODO', 'DONE', 'a1'));
    expect(ids(next.columns.TODO)).toEqual(['t1', 't3']);
    expect(ids(next.columns.DONE)).toEqual(['d1', 't2']);
    expect(counts(next)).toEqual({ TODO: 119, DONE: 2 });
    expect(columnCountLabel(next, 'TODO')).toBe('2 of 119');
  });

  it('follows a mission it never loaded from the column its event names, counting it once', () => {
    const away = applied(state, moved('far', 'TODO', 'DONE', 'a1'));
    // Done is complete, so the card belongs on screen: the page fetches it.
    expect(counts(away)).toEqual({ TODO: 119, DONE: 2 });
    expect(missingCards(away)).toEqual(['far']);
    const shown = placeMission(away, mission('far', 'a1', { column: 'DONE' }));
    expect(ids(shown.columns.DONE)).toEqual(['d1', 'far']);
    expect(counts(shown)).toEqual({ TODO: 119, DONE: 2 });
    expect(missingCards(shown)).toEqual([]);
    // Heard twice, or moving on: counted from where the board last knew it.
    expect(counts(applied(away, moved('far', 'TODO', 'DONE', 'a1')))).toEqual({
      TODO: 119,
      DONE: 2,
    });
    const back = applied(away, moved('far', 'DONE', 'TODO', 'z0'));
    expect(counts(back)).toEqual({ TODO: 120, DONE: 1 });
    expect(missingCards(back)).toEqual([]);
  });

  it('leaves edits of missions it has not loaded alone instead of fetching the board again', () => {
    for (const live of [
      event('mission.v1.MissionUpdated', { missionId: 'far', title: 'x' }, 'far'),
      event('mission.v1.MissionAssigned', { missionId: 'far', agentId: 'a1' }, 'far'),
    ]) {
      expect(applyMissionEvent(state, live)).toBe('unchanged');
    }
    expect(
      applyMissionEvent(state, event('mission.v1.MissionMoved', { toColumn: 'x' }, 'far')),
    ).toBe('refetch');
  });

  it('keeps where the loaded part ends when its last mission moves away', () => {
    const next = applied(state, moved('t3', 'TODO', 'DONE', 'a1'));
    expect(next.paging.TODO.loadedTo).toEqual({ rank: 'a5', id: 't3' });
    // a4 comes before the cursor, so the next page would not bring it: it shows now.
    expect(ids(applied(next, created('n3', 'a4')).columns.TODO)).toEqual(['t1', 't2', 'n3']);
  });

  it('adds the next page after the loaded part, once each, and moves the end of the loaded part', () => {
    // The person dropped d1 at the end of To do: shown, though past the loaded part.
    const dropped = placeMission(
      withColumns(state, planMove(state.columns, 'd1', 'TODO', 3)!.columns),
      mission('d1', 'a6', { column: 'TODO' }),
      'always',
    );
    expect(counts(dropped)).toEqual({ TODO: 121 });
    expect(ids(dropped.columns.TODO)).toEqual(['t1', 't2', 't3', 'd1']);
    // The live event of that same move changes nothing more.
    expect(counts(applied(dropped, moved('d1', 'DONE', 'TODO', 'a6')))).toEqual({ TODO: 121 });
    // A mission counted past the loaded part comes with the page.
    const heard = applied(dropped, created('n4', 'a7'));
    const next = appendPage(heard, {
      column: 'TODO',
      totalCount: 122,
      pageInfo: { endCursor: 'cursor-t5', hasNextPage: true },
      missions: [
        mission('d1', 'a6'),
        mission('t4', 'a61'),
        mission('n4', 'a7'),
        mission('t5', 'a8'),
      ],
    });
    expect(ids(next.columns.TODO)).toEqual(['t1', 't2', 't3', 'd1', 't4', 'n4', 't5']);
    expect(next.paging.TODO).toEqual({
      totalCount: 122,
      hasNextPage: true,
      endCursor: 'cursor-t5',
      loadedTo: { rank: 'a8', id: 't5' },
    });
    expect(next.offscreen).toEqual({});
    expect(columnCountLabel(next, 'TODO')).toBe('7 of 122');
  });

  it('does not bring back with a page a mission it knows moved to another column', () => {
    const away = applied(state, moved('t9', 'TODO', 'REVIEW', 'a0'));
    const next = appendPage(away, {
      column: 'TODO',
      totalCount: 119,
      pageInfo: { endCursor: 'cursor-t9', hasNextPage: false },
      missions: [mission('t9', 'a9')],
    });
    expect(ids(next.columns.TODO)).toEqual(['t1', 't2', 't3']);
    expect(next.paging.TODO.hasNextPage).toBe(false);
    expect(columnCountLabel(next, 'TODO')).toBe('119');
  });

  it('moves the counts with a drop, and back with the board before it for a rollback', () => {
    const plan = planMove(state.columns, 't1', 'DONE', 0)!;
    const optimistic = withColumns(state, plan.columns);
    expect(counts(optimistic)).toEqual({ TODO: 119, DONE: 2 });
    expect(counts(state)).toEqual({ TODO: 120, DONE: 1 });
  });
});

describe('perColumnFor', () => {
  it('asks for one page at first, and as many whole pages as a column shows, up to 200', () => {
    const showing = (count: number) =>
      served({
        TODO: [Array.from({ length: count }, (_, i) => mission(`m${i}`, `a${i}`)), 10_000],
      });
    expect(perColumnFor(undefined)).toBe(20);
    expect(perColumnFor(emptyBoard())).toBe(20);
    expect(perColumnFor(showing(20))).toBe(20);
    expect(perColumnFor(showing(21))).toBe(40);
    expect(perColumnFor(showing(450))).toBe(200);
  });
});
