import { cellText, renderFields, renderJson, renderTable } from './table.renderer';

describe('table rendering', () => {
  const rows = [
    { id: 'a1', title: 'Land the lunar module', tags: ['apollo', 'moon'], agent: null },
    { id: 'b22', title: 'Plant\nthe flag', tags: [], agent: 'scout' },
  ];

  it('aligns columns under upper-case headers, two spaces apart, without trailing blanks', () => {
    const text = renderTable(rows, [
      { header: 'id', value: (r) => r.id },
      { header: 'title', value: (r) => r.title, maxWidth: 12 },
      { header: 'tags', value: (r) => r.tags },
      { header: 'agent', value: (r) => r.agent },
    ]);
    expect(text).toBe(
      [
        'ID   TITLE         TAGS         AGENT',
        'a1   Land the lu…  apollo,moon  -',
        'b22  Plant the f…  -            scout',
        '',
      ].join('\n'),
    );
  });

  it('renders an empty table as its header', () => {
    expect(renderTable([], [{ header: 'id', value: () => 1 }])).toBe('ID\n');
  });

  it('shows missing values as a dash and objects as JSON', () => {
    expect(cellText(undefined)).toBe('-');
    expect(cellText('')).toBe('-');
    expect(cellText(0)).toBe('0');
    expect(cellText(false)).toBe('false');
    expect(cellText({ a: 1 })).toBe('{"a":1}');
  });

  it('aligns labelled fields', () => {
    expect(
      renderFields([
        ['ID', 'x'],
        ['Column', 'TODO'],
      ]),
    ).toBe('ID:     x\nColumn: TODO\n');
  });

  it('prints JSON that parses back to the value', () => {
    const value = { columns: [{ column: 'TODO', missions: rows }] };
    expect(JSON.parse(renderJson(value))).toEqual(value);
    expect(renderJson(value).endsWith('\n')).toBe(true);
  });
});
