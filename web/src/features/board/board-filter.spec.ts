import {
  filterColumns,
  filterFromQuery,
  isFiltered,
  NO_FILTER,
  queryWithFilter,
  shownLabel,
  tagsOf,
  UNASSIGNED,
  unfilteredIndex,
} from './board-filter';
import { type BoardColumns, type BoardMission, emptyColumns } from './board-model';

const mission = (id: string, overrides: Partial<BoardMission> = {}): BoardMission => ({
  id,
  title: `Mission ${id}`,
  priority: 'MEDIUM',
  tags: [],
  column: 'TODO',
  rank: id,
  assigneeAgentId: null,
  updatedAt: '2025-01-01T00:00:00Z',
  activeRun: null,
  ...overrides,
});

const board = (partial: Partial<BoardColumns>): BoardColumns => ({ ...emptyColumns(), ...partial });
const ids = (columns: BoardColumns) =>
  Object.fromEntries(
    Object.entries(columns)
      .filter(([, list]) => list.length > 0)
      .map(([column, list]) => [column, list.map((m) => m.id)]),
  );

const columns = board({
  TODO: [
    mission('a', { assigneeAgentId: 'scout', priority: 'HIGH', tags: ['ui'] }),
    mission('b', { tags: ['backend', 'ui'] }),
    mission('c', { assigneeAgentId: 'pilot', priority: 'HIGH' }),
  ],
  DONE: [mission('d', { column: 'DONE', assigneeAgentId: 'scout', tags: ['docs'] })],
});

describe('filterFromQuery and queryWithFilter', () => {
  it('reads what the URL asks for, and leaves out what it cannot mean', () => {
    const query = new URLSearchParams('assignee=scout&priority=high&tag=UI&view=compact');
    expect(filterFromQuery(query)).toEqual({ assignee: 'scout', priority: 'HIGH', tag: 'ui' });
    expect(filterFromQuery(new URLSearchParams('priority=whenever&tag=%20'))).toEqual(NO_FILTER);
  });

  it('writes the filter back, keeping what the board does not own, and no ? when empty', () => {
    expect(
      queryWithFilter('view=compact&tag=old', { assignee: UNASSIGNED, priority: 'LOW', tag: null }),
    ).toBe('?view=compact&assignee=unassigned&priority=low');
    expect(queryWithFilter('tag=ui&priority=high', NO_FILTER)).toBe('');
  });

  it('survives the round trip through the URL', () => {
    const filter = { assignee: 'a b&c', priority: 'URGENT', tag: 'front end' } as const;
    expect(filterFromQuery(new URLSearchParams(queryWithFilter('', filter)))).toEqual(filter);
  });
});

describe('filterColumns', () => {
  it('shows everything, as it was, without a filter', () => {
    expect(isFiltered(NO_FILTER)).toBe(false);
    expect(filterColumns(columns, NO_FILTER)).toBe(columns);
  });

  it('keeps the missions of an agent, or of nobody, in every column, in order', () => {
    expect(ids(filterColumns(columns, { ...NO_FILTER, assignee: 'scout' }))).toEqual({
      TODO: ['a'],
      DONE: ['d'],
    });
    expect(ids(filterColumns(columns, { ...NO_FILTER, assignee: UNASSIGNED }))).toEqual({
      TODO: ['b'],
    });
  });

  it('combines priority and tag with the assignee: a mission must match them all', () => {
    expect(ids(filterColumns(columns, { ...NO_FILTER, priority: 'HIGH' }))).toEqual({
      TODO: ['a', 'c'],
    });
    expect(ids(filterColumns(columns, { ...NO_FILTER, tag: 'ui' }))).toEqual({ TODO: ['a', 'b'] });
    expect(
      ids(filterColumns(columns, { assignee: 'scout', priority: 'HIGH', tag: 'docs' })),
    ).toEqual({});
  });
});

describe('tagsOf and shownLabel', () => {
  it('offers every tag once, alphabetically', () => {
    expect(tagsOf(columns)).toEqual(['backend', 'docs', 'ui']);
  });

  it('says how many are shown of all', () => {
    expect(shownLabel(3, 1240)).toBe('Showing 3 of 1,240 missions');
    expect(shownLabel(0, 1)).toBe('Showing 0 of 1 mission');
  });
});

describe('unfilteredIndex', () => {
  // a b c d e in To do; the filter shows b and d.
  const todo = board({ TODO: ['a', 'b', 'c', 'd', 'e'].map((id) => mission(id)) });

  it('places a card right after the shown card above it', () => {
    expect(unfilteredIndex(todo, 'b', 'TODO', 'd', null)).toBe(3);
  });

  it('places a card right before the shown card below it when it goes first', () => {
    expect(unfilteredIndex(todo, 'd', 'TODO', null, 'b')).toBe(1);
  });

  it('puts a card at the end of a column that shows nothing', () => {
    expect(unfilteredIndex(todo, 'x', 'TODO', null, null)).toBe(5);
    expect(unfilteredIndex(todo, 'x', 'DONE', null, null)).toBe(0);
  });
});
