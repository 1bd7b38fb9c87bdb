'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter, useSearchParams } from 'next/navigation';
import { type FormEvent, useId } from 'react';
import {
  type BoardColumn,
  SearchDocument,
  type SearchFilters,
  type SearchHitKind,
} from '../../graphql/generated';
import { useGraphQL } from '../../lib/session/session-provider';
import { EmptyState } from '../../ui/empty-state';
import { ErrorNotice } from '../../ui/error-notice';
import { BOARD_COLUMNS, COLUMN_NAMES } from '../board/board-model';
import { splitHighlight } from './highlight';
import styles from './search.module.css';
import { formText } from '../../lib/forms/form-text';

const KINDS: readonly SearchHitKind[] = ['MISSION', 'COMMENT'];
const KIND_NAMES: Record<SearchHitKind, string> = { MISSION: 'Mission', COMMENT: 'Comment' };
const FIELD_NAMES: Record<string, string> = {
  title: 'Title',
  description: 'Description',
  body: 'Comment',
  tags: 'Tags',
};

function Fragment({ text }: { text: string }) {
  return (
    <>
      {splitHighlight(text).map((part, index) =>
        part.marked ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </>
  );
}

export function SearchView({ workspaceId }: { workspaceId: string }) {
  const gql = useGraphQL();
  const router = useRouter();
  const params = useSearchParams();
  const id = useId();
  const query = params.get('q')?.trim() ?? '';
  const kindParam = params.get('kind');
  const columnParam = params.get('column');
  const kind = KINDS.find((k) => k === kindParam) ?? null;
  const column = BOARD_COLUMNS.find((c) => c === columnParam) ?? null;
  const filters: SearchFilters | null =
    kind || column
      ? { ...(kind ? { kinds: [kind] } : {}), ...(column ? { columns: [column] } : {}) }
      : null;

  const results = useQuery({
    queryKey: ['search', workspaceId, query, kind, column],
    queryFn: ({ signal }) =>
      gql(SearchDocument, { workspaceId, query, filters, first: 20 }, signal),
    enabled: query.length > 0,
    select: (data) => data.search,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const next = new URLSearchParams();
    const q = formText(data, 'q').trim();
    if (q) {
      next.set('q', q);
    }
    for (const name of ['kind', 'column']) {
      const value = formText(data, name);
      if (value) {
        next.set(name, value);
      }
    }
    // The same search again asks again: the index may have caught up since.
    if (next.toString() === params.toString()) {
      void results.refetch();
    } else {
      router.push(`/w/${workspaceId}/search?${next.toString()}`);
    }
  }

  return (
    <div className={styles.page}>
      <h1>Search</h1>
      <form
        role="search"
        onSubmit={submit}
        className={`panel ${styles.form}`}
        key={params.toString()}
      >
        <div className={`field ${styles.query}`}>
          <label htmlFor={`${id}-q`}>Search</label>
          <input id={`${id}-q`} name="q" type="search" defaultValue={query} autoFocus={!query} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} name="kind" defaultValue={kind ?? ''}>
            <option value="">All kinds</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {KIND_NAMES[k]}s
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-column`}>Column</label>
          <select id={`${id}-column`} name="column" defaultValue={column ?? ''}>
            <option value="">Any column</option>
            {BOARD_COLUMNS.map((c: BoardColumn) => (
              <option key={c} value={c}>
                {COLUMN_NAMES[c]}
              </option>
            ))}
          </select>
        </div>
        <div className={styles.submit}>
          <button type="submit" className="button button-primary">
            Search
          </button>
        </div>
      </form>

      {!query && (
        <EmptyState>Search the titles, descriptions and comments of your missions.</EmptyState>
      )}
      {query && results.isPending && <p aria-busy="true">Searching…</p>}
      {results.isError && <ErrorNotice error={results.error} />}
      {results.data && (
        <section aria-labelledby={`${id}-results`}>
          <h2 id={`${id}-results`} className={styles.summary} aria-live="polite">
            {results.data.total === 1 ? '1 result' : `${results.data.total} results`} for “{query}”
            <span className="muted"> · {results.data.tookMs} ms</span>
          </h2>
          {results.data.hits.length === 0 ? (
            <EmptyState>Nothing matches “{query}”. Try fewer or other words.</EmptyState>
          ) : (
            <ol className={styles.hits} aria-label="Results">
              {results.data.hits.map((hit) => (
                <li key={`${hit.missionId}:${hit.commentId ?? ''}`} className={styles.hit}>
                  <div className={styles.hitHead}>
                    <Link
                      href={`/w/${workspaceId}/missions/${hit.missionId}${hit.commentId ? `#comment-${hit.commentId}` : ''}`}
                      className={styles.hitTitle}
                    >
                      {hit.title}
                    </Link>
                    <span className="badge">{KIND_NAMES[hit.kind]}</span>
                    {hit.column && <span className="tag">{COLUMN_NAMES[hit.column]}</span>}
                  </div>
                  {hit.highlights.map((highlight) => (
                    <div key={highlight.field} className={styles.highlight}>
                      <span className={styles.field}>
                        {FIELD_NAMES[highlight.field] ?? highlight.field}
                      </span>
                      {highlight.fragments.map((fragment, index) => (
                        <p key={index} className={styles.fragment}>
                          <Fragment text={fragment} />
                        </p>
                      ))}
                    </div>
                  ))}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}
    </div>
  );
}
