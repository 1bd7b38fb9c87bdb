/** One column of a table: its header and how to show a row's cell. */
export type Column<T> = { header: string; value: (row: T) => unknown; maxWidth?: number };

/** A cell as one line of text: null and undefined are a dash, lists are joined, newlines flattened. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') {
    return '-';
  }
  if (Array.isArray(value)) {
    return value.length ? value.map(cellText).join(',') : '-';
  }
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint'
        ? String(value)
        : (JSON.stringify(value) ?? '-');
  return text.replace(/\s*[\r\n]+\s*/g, ' ');
}

function clip(text: string, width: number | undefined): string {
  return width !== undefined && text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Rows under upper-case headers, each column as wide as its widest cell, two spaces between. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) =>
    columns.map((column) => clip(cellText(column.value(row)), column.maxWidth)),
  );
  const headers = columns.map((column) => column.header.toUpperCase());
  const widths = headers.map((header, index) =>
    Math.max(header.length, ...cells.map((line) => line[index]!.length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => (index === values.length - 1 ? value : value.padEnd(widths[index]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...cells.map(line)].join('\n') + '\n';
}

/** Label: value lines, the labels aligned. */
export function renderFields(fields: readonly (readonly [string, unknown])[]): string {
  const width = Math.max(0, ...fields.map(([label]) => label.length));
  return (
    fields
      .map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${cellText(value)}`)
      .join('\n') + '\n'
  );
}

/** Machine-readable output: the value as pretty JSON, one document per command. */
export function renderJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
