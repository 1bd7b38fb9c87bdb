import type { Column } from '../common/board-column';
import type { SearchDocument, SearchHitKind } from './search-document';
import type { SearchCriteria } from './search-query';

export type SearchHitRecord = {
  kind: SearchHitKind;
  missionId: string;
  commentId: string | null;
  title: string;
  column: Column | null;
  score: number;
  /** Only fields that matched; matches wrapped in `<mark>…</mark>`. */
  highlights: { field: string; fragments: string[] }[];
};

export type SearchResultRecord = { total: number; tookMs: number; hits: SearchHitRecord[] };

/**
 * A document to write, at the stream version it reflects. Ids are deterministic
 * (`missionDocumentId`, `commentDocumentId`), so a replay overwrites rather than duplicates.
 */
export type VersionedDocument = { id: string; version: number; document: SearchDocument };

/**
 * The search index as the service and the live projections use it, whatever engine holds it
 * (ARCHITECTURE rule 9): Elasticsearch in production, Postgres full-text in standalone mode.
 *
 * Missions and comments are both written with {@link upsert}. A comment document carries its
 * mission's title, column, tags and assignee at the mission's version: when the mission changes,
 * its comments are upserted again at the new version, which is how those fields follow it.
 *
 * Rebuilding into a new generation and swapping it in is Elasticsearch-only for now
 * (`ElasticsearchSearchIndex`); it is not part of this port.
 */
export abstract class SearchIndex {
  /** Creates the index if it is missing; safe to call concurrently and repeatedly. */
  abstract ensureIndex(): Promise<void>;

  /**
   * Writes each document unless the index holds its id at the same or a newer version: a
   * redelivered or older state changes nothing, and is not an error.
   */
  abstract upsert(documents: readonly VersionedDocument[]): Promise<void>;

  /** Best match first, then newest; only ever documents of `criteria.workspaceId`. */
  abstract search(criteria: SearchCriteria): Promise<SearchResultRecord>;

  /** Makes everything upserted so far visible to {@link search}. */
  abstract refresh(): Promise<void>;
}
