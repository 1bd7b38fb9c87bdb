/**
 * Index names under ELASTICSEARCH_INDEX_PREFIX: search goes through the alias; each build of the
 * projection (the first one, each rebuild) is a concrete index the alias is swapped onto.
 */
export class SearchIndexNames {
  readonly alias: string;

  constructor(prefix: string) {
    this.alias = `${prefix}-analytics-search`;
  }

  /** The first index, created when the alias does not exist yet. */
  get initial(): string {
    return this.generation(1);
  }

  /** Zero-padded so generations sort by name. */
  generation(n: number): string {
    return `${this.alias}-${String(n).padStart(6, '0')}`;
  }

  generationOf(index: string): number | null {
    const match = index.startsWith(`${this.alias}-`)
      ? /^(\d+)$/.exec(index.slice(this.alias.length + 1))
      : null;
    return match ? Number(match[1]) : null;
  }
}
