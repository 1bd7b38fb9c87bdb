import { DATABASE_SCHEMA } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { COLUMNS, type Column } from '../common/board-column';
import type { SearchHitKind } from './search-document';
import {
  SearchIndex,
  type SearchHitRecord,
  type SearchResultRecord,
  type VersionedDocument,
} from './search-index.port';
import type { SearchCriteria } from './search-query';

const TABLE = Prisma.raw(`"${DATABASE_SCHEMA}".search_documents`);

// ts_rank takes weights as {D, C, B, A}: body, description, tags, title. Same proportions as
// the Elasticsearch boosts (title^3, tagText^2, description and body ^1).
const RANK_WEIGHTS = '{0.333,0.333,0.667,1.0}';
// Title and tags are short: shown whole, like Elasticsearch's number_of_fragments: 0.
const WHOLE = 'HighlightAll=true, StartSel=<mark>, StopSel=</mark>';
// One fragment around the best match (Elasticsearch may return up to three of ~160 chars).
const FRAGMENT = 'MaxWords=30, MinWords=12, StartSel=<mark>, StopSel=</mark>';
const MAX_QUERY_WORDS = 32;

/**
 * The words of a query as a `to_tsquery` text: any whole word, and the last one also as a
 * prefix, since the user may still be typing it (Elasticsearch: best_fields OR phrase_prefix).
 * Only letters and digits survive, so nothing a user types can become a tsquery operator; the
 * result is still only ever passed as a bind parameter. Null when no word is left.
 */
export function prefixQuery(text: string): string | null {
  const words = [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(
    0,
    MAX_QUERY_WORDS,
  );
  if (words.length === 0) {
    return null;
  }
  const last = words[words.length - 1]!;
  return [...words.slice(0, -1).map((word) => `'${word}'`), `'${last}':*`].join(' | ');
}

type Row = {
  id: string;
  version: number;
  kind: SearchHitKind;
  workspace_id: string;
  mission_id: string;
  comment_id: string | null;
  title: string;
  description: string;
  body: string;
  tag_text: string[];
  tags: string[];
  column: string;
  priority: string;
  assignee_agent_id: string | null;
  created_at: string;
};

const rowOf = ({ id, version, document }: VersionedDocument): Row => {
  const common = {
    id,
    version,
    kind: document.kind,
    workspace_id: document.workspaceId,
    mission_id: document.missionId,
    tags: document.tags,
    column: document.column,
    priority: document.priority,
    assignee_agent_id: document.assigneeAgentId,
    created_at: document.createdAt,
  };
  return document.kind === 'mission'
    ? {
        ...common,
        comment_id: null,
        title: document.title,
        description: document.description,
        body: '',
        tag_text: document.tagText,
      }
    : {
        ...common,
        comment_id: document.commentId,
        title: document.missionTitle,
        description: '',
        body: document.body,
        tag_text: [],
      };
};

type HitRow = {
  kind: SearchHitKind;
  mission_id: string;
  comment_id: string | null;
  title: string;
  column: string;
  score: number;
  total: number;
  title_mark: string | null;
  description_mark: string | null;
  body_mark: string | null;
  tag_marks: string[] | null;
};

const asColumn = (value: string): Column | null =>
  (COLUMNS as readonly string[]).includes(value) ? (value as Column) : null;

/**
 * The search index in Postgres full-text search (standalone mode), in table
 * analytics.search_documents: a generated, GIN-indexed tsvector ranked with ts_rank and
 * highlighted with ts_headline. Writes are visible once committed, so {@link refresh} has
 * nothing to do. Takes a transaction client so a caller can write within its own transaction.
 */
export class PostgresSearchIndex extends SearchIndex {
  constructor(private readonly db: Prisma.TransactionClient) {
    super();
  }

  // The table is created by the service's migrations, which run before anything writes.
  async ensureIndex(): Promise<void> {}

  async refresh(): Promise<void> {}

  async upsert(documents: readonly VersionedDocument[]): Promise<void> {
    // One statement may not update a row twice: keep the newest version of each id.
    const newest = new Map<string, VersionedDocument>();
    for (const document of documents) {
      const kept = newest.get(document.id);
      if (!kept || kept.version < document.version) {
        newest.set(document.id, document);
      }
    }
    if (newest.size === 0) {
      return;
    }
    const rows = JSON.stringify([...newest.values()].map(rowOf));
    await this.db.$executeRaw`
      INSERT INTO ${TABLE} AS d (id, version, kind, workspace_id, mission_id, comment_id, title,
        description, body, tag_text, tags, "column", priority, assignee_agent_id, created_at)
      SELECT id, version, kind, workspace_id, mission_id, comment_id, title,
        description, body, tag_text, tags, "column", priority, assignee_agent_id, created_at
      FROM jsonb_to_recordset(${rows}::jsonb) AS r(id text, version int, kind text,
        workspace_id text, mission_id text, comment_id text, title text, description text,
        body text, tag_text text[], tags text[], "column" text, priority text,
        assignee_agent_id text, created_at timestamptz)
      ON CONFLICT (id) DO UPDATE SET
        version = EXCLUDED.version, kind = EXCLUDED.kind, workspace_id = EXCLUDED.workspace_id,
        mission_id = EXCLUDED.mission_id, comment_id = EXCLUDED.comment_id,
        title = EXCLUDED.title, description = EXCLUDED.description, body = EXCLUDED.body,
        tag_text = EXCLUDED.tag_text, tags = EXCLUDED.tags, "column" = EXCLUDED."column",
        priority = EXCLUDED.priority, assignee_agent_id = EXCLUDED.assignee_agent_id,
        created_at = EXCLUDED.created_at
      -- Like Elasticsearch's external versions: the same or an older version changes nothing.
      WHERE d.version < EXCLUDED.version`;
  }

  async search(criteria: SearchCriteria): Promise<SearchResultRecord> {
    const started = performance.now();
    const query = prefixQuery(criteria.text);
    if (query === null) {
      return { total: 0, tookMs: 0, hits: [] };
    }
    const rows = await this.db.$queryRaw<HitRow[]>`
      WITH q AS (SELECT to_tsquery('simple', ${query}) AS query),
      best AS (
        SELECT d.*, q.query,
          ts_rank(${RANK_WEIGHTS}::float4[], d.search_vector, q.query) AS score,
          (count(*) OVER ())::int AS total
        FROM ${TABLE} d, q
        WHERE ${Prisma.join(filtersOf(criteria), ' AND ')}
          AND d.search_vector @@ q.query
        ORDER BY score DESC, d.created_at DESC, d.id
        LIMIT ${criteria.size}
      )
      -- Highlighted after the limit: ts_headline re-parses the text, only worth it for hits.
      SELECT kind, mission_id, comment_id, title, "column", score, total,
        CASE WHEN kind = 'mission' THEN ts_headline('simple', title, query, ${WHOLE}) END
          AS title_mark,
        CASE WHEN kind = 'mission' THEN ts_headline('simple', description, query, ${FRAGMENT}) END
          AS description_mark,
        CASE WHEN kind = 'comment' THEN ts_headline('simple', body, query, ${FRAGMENT}) END
          AS body_mark,
        ARRAY(
          SELECT ts_headline('simple', tag, query, ${WHOLE})
          FROM unnest(tag_text) AS tag
          WHERE to_tsvector('simple', tag) @@ query
        ) AS tag_marks
      FROM best
      ORDER BY score DESC, created_at DESC, id`;
    return {
      total: rows[0]?.total ?? 0,
      tookMs: Math.round(performance.now() - started),
      hits: rows.map(hitOf),
    };
  }
}

/** The workspace filter always comes first, whatever else is asked. */
function filtersOf(criteria: SearchCriteria): Prisma.Sql[] {
  const filters = [Prisma.sql`d.workspace_id = ${criteria.workspaceId}`];
  if (criteria.kinds) {
    filters.push(Prisma.sql`d.kind = ANY(${criteria.kinds}::text[])`);
  }
  if (criteria.columns) {
    filters.push(Prisma.sql`d."column" = ANY(${criteria.columns}::text[])`);
  }
  if (criteria.tags) {
    filters.push(Prisma.sql`d.tags && ${criteria.tags}::text[]`);
  }
  if (criteria.agentId) {
    filters.push(Prisma.sql`d.assignee_agent_id = ${criteria.agentId}`);
  }
  if (criteria.from) {
    filters.push(Prisma.sql`d.created_at >= ${criteria.from.toISOString()}::timestamptz`);
  }
  if (criteria.to) {
    filters.push(Prisma.sql`d.created_at < ${criteria.to.toISOString()}::timestamptz`);
  }
  return filters;
}

const marked = (text: string | null): text is string => text !== null && text.includes('<mark>');

function hitOf(row: HitRow): SearchHitRecord {
  const highlights: SearchHitRecord['highlights'] = [];
  // ts_headline returns the start of a field that did not match: only matches are highlights.
  for (const [field, text] of [
    ['title', row.title_mark],
    ['description', row.description_mark],
    ['body', row.body_mark],
  ] as const) {
    if (marked(text)) {
      highlights.push({ field, fragments: [text] });
    }
  }
  const tags = (row.tag_marks ?? []).filter(marked);
  if (tags.length > 0) {
    highlights.push({ field: 'tags', fragments: tags });
  }
  return {
    kind: row.kind,
    missionId: row.mission_id,
    commentId: row.comment_id,
    title: row.title,
    column: asColumn(row.column),
    score: Number(row.score),
    highlights,
  };
}
