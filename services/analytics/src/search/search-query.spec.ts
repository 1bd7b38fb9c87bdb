import { AppError } from '@mission-control/errors';
import { highlightFieldName, searchCriteria, searchRequest } from './search-query';

const ws = 'ws-1';

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
};

describe('searchCriteria', () => {
  it('trims the query, defaults to 20 results and drops empty filter lists', () => {
    expect(
      searchCriteria(ws, {
        query: '  moon  ',
        kinds: [],
        columns: null,
        tags: [' Apollo ', 'apollo'],
      }),
    ).toEqual({
      workspaceId: ws,
      text: 'moon',
      kinds: null,
      columns: null,
      tags: ['apollo'],
      agentId: null,
      from: null,
      to: null,
      size: 20,
    });
  });

  it.each([
    ['an empty query', { query: '   ' }],
    ['a query too long', { query: 'x'.repeat(501) }],
    ['first of 0', { query: 'a', first: 0 }],
    ['first over 100', { query: 'a', first: 101 }],
    ['an empty tag', { query: 'a', tags: [' '] }],
    ['from after to', { query: 'a', from: new Date('2026-02-01'), to: new Date('2026-01-01') }],
    ['an invalid time', { query: 'a', from: new Date('nope') }],
  ])('refuses %s with VALIDATION_ERROR', (_what, input) => {
    expect(codeOf(() => searchCriteria(ws, input))).toBe('VALIDATION_ERROR');
  });
});

describe('searchRequest', () => {
  type Bool = { filter: unknown[]; should: unknown[] };
  const boolOf = (request: ReturnType<typeof searchRequest>) =>
    (request.query as { bool: Bool }).bool;

  it('always filters on the workspace first, whatever else is asked', () => {
    const bare = boolOf(searchRequest(searchCriteria(ws, { query: 'moon' })));
    expect(bare.filter).toEqual([{ term: { workspaceId: ws } }]);

    const filtered = boolOf(
      searchRequest(
        searchCriteria(ws, {
          query: 'moon',
          kinds: ['comment'],
          columns: ['done', 'review'],
          tags: ['apollo'],
          agentId: 'agent-7',
          from: new Date('2026-01-01T00:00:00Z'),
          to: new Date('2026-02-01T00:00:00Z'),
        }),
      ),
    );
    expect(filtered.filter).toEqual([
      { term: { workspaceId: ws } },
      { terms: { kind: ['comment'] } },
      { terms: { column: ['done', 'review'] } },
      { terms: { tags: ['apollo'] } },
      { term: { assigneeAgentId: 'agent-7' } },
      {
        range: {
          createdAt: { gte: '2026-01-01T00:00:00.000Z', lt: '2026-02-01T00:00:00.000Z' },
        },
      },
    ]);
  });

  it('matches the text fields and highlights with <mark>', () => {
    const request = searchRequest(searchCriteria(ws, { query: 'moon', first: 5 }));
    expect(request.size).toBe(5);
    expect(JSON.stringify(boolOf(request).should)).toContain('"description"');
    expect(request.highlight).toMatchObject({ pre_tags: ['<mark>'], post_tags: ['</mark>'] });
    expect(Object.keys(request.highlight?.fields ?? {})).toEqual([
      'title',
      'description',
      'body',
      'tagText',
    ]);
  });

  it('finds typos of two edits but marks words within one, which highlights in a sixth of the time', () => {
    const request = searchRequest(searchCriteria(ws, { query: 'deplyo' }));
    const fuzziness = (clauses: unknown) =>
      JSON.stringify(clauses).match(/"fuzziness":("AUTO"|1)/g);
    expect(fuzziness(boolOf(request).should)).toEqual(['"fuzziness":"AUTO"']);
    expect(fuzziness(request.highlight?.highlight_query)).toEqual(['"fuzziness":1']);
  });

  it('names highlights by the document field', () => {
    expect(highlightFieldName('tagText')).toBe('tags');
    expect(highlightFieldName('body')).toBe('body');
  });
});
