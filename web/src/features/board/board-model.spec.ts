import type { LiveEvent } from '../../lib/live/live-event';
import {
  applyMissionEvent,
  type BoardColumns,
  type BoardMission,
  columnsOf,
  describeMissionEvent,
  emptyColumns,
  parseTags,
  planMove,
  upsertByRank,
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
  ...overrides,
});

const board = (partial: Partial<BoardColumns>): BoardColumns => ({ ...emptyColumns(), ...partial });

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

describe('rank order', () => {
  it('holds every column, in the order the server sent', () => {
    const columns = columnsOf({
      workspaceId: 'w1',
      columns: [{ column: 'TODO', missions: [mission('b', 'a0'), mission('a', 'a1')] }],
    });
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

describe('applyMissionEvent', () => {
  const columns = board({ TODO: [mission('m1', 'a0'), mission('m2', 'a1')] });

  it('moves a mission to its new column, in rank order', () => {
    const next = applyMissionEvent(
      columns,
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
    expect(next).not.toBe('refetch');
    const moved = next as BoardColumns;
    expect(ids(moved.TODO)).toEqual(['m1']);
    expect(moved.IN_PROGRESS).toEqual([
      expect.objectContaining({ id: 'm2', column: 'IN_PROGRESS', rank: 'a0' }),
    ]);
  });

  it('reorders within a column', () => {
    const next = applyMissionEvent(
      columns,
      event('mission.v1.MissionMoved', {
        missionId: 'm1',
        toColumn: 'BOARD_COLUMN_TODO',
        rank: 'a2',
      }),
    ) as BoardColumns;
    expect(ids(next.TODO)).toEqual(['m2', 'm1']);
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
    const next = applyMissionEvent(columns, created) as BoardColumns;
    expect(next.BACKLOG).toEqual([
      expect.objectContaining({
        id: 'm3',
        title: 'Ship it',
        priority: 'URGENT',
        tags: ['release'],
      }),
    ]);
    expect(applyMissionEvent(next, created)).toBe('unchanged');
  });

  it('patches details and assignment where the mission stands', () => {
    const updated = applyMissionEvent(
      columns,
      event('mission.v1.MissionUpdated', {
        missionId: 'm1',
        title: 'Renamed',
        priority: 'PRIORITY_HIGH',
      }),
    ) as BoardColumns;
    expect(updated.TODO[0]).toMatchObject({
      id: 'm1',
      title: 'Renamed',
      priority: 'HIGH',
      tags: [],
    });
    const assigned = applyMissionEvent(
      updated,
      event('mission.v1.MissionAssigned', { missionId: 'm1', agentId: 'a9' }),
    ) as BoardColumns;
    expect(assigned.TODO[0]?.assigneeAgentId).toBe('a9');
    const unassigned = applyMissionEvent(
      assigned,
      event('mission.v1.MissionAssigned', { missionId: 'm1' }),
    ) as BoardColumns;
    expect(unassigned.TODO[0]?.assigneeAgentId).toBeNull();
  });

  it('asks for a refetch when the mission is not on screen or the type is new', () => {
    expect(
      applyMissionEvent(
        columns,
        event(
          'mission.v1.MissionMoved',
          { missionId: 'x', toColumn: 'BOARD_COLUMN_DONE', rank: 'a' },
          'x',
        ),
      ),
    ).toBe('refetch');
    expect(
      applyMissionEvent(columns, event('mission.v1.MissionArchived', { missionId: 'm1' })),
    ).toBe('refetch');
  });

  it('leaves the board alone for comments and other contexts', () => {
    expect(applyMissionEvent(columns, event('mission.v1.CommentAdded', { missionId: 'm1' }))).toBe(
      'unchanged',
    );
    expect(applyMissionEvent(columns, event('agent.v1.AgentStatusChanged', {}))).toBe('unchanged');
  });
});
