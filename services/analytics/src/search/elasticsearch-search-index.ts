import { Client as Elasticsearch, errors, type estypes } from '@elastic/elasticsearch';
import { Inject, Injectable } from '@nestjs/common';
import { ELASTICSEARCH } from '../engines/engines.module';
import { SearchIndexNames } from '../engines/search-index-names';
import { EngineUnavailableError, engineUnavailable } from '../engines/engine-unavailable.error';
import { SEARCH_INDEX_MAPPINGS, type SearchDocument } from './search-document';
import type { SearchIndex, SearchResultRecord, VersionedDocument } from './search-index.port';
import { highlightFieldName, searchRequest, type SearchCriteria } from './search-query';

export type { SearchHitRecord, SearchResultRecord, VersionedDocument } from './search-index.port';

/** A document as stored, for comparing two builds of the index. */
export type StoredDocument = { id: string; version: number; source: SearchDocument };

// Frequent enough that a comment is findable within a second of its event; explicit, so the
// index never goes search-idle and stops refreshing on its own schedule.
const LIVE_REFRESH_INTERVAL = '500ms';

type HitSource = Pick<SearchDocument, 'kind' | 'missionId' | 'column'> & {
  title?: string;
  missionTitle?: string;
  commentId?: string;
};

/** The search index in Elasticsearch: queries through the alias, writes to a given index. */
@Injectable()
export class ElasticsearchSearchIndex implements SearchIndex {
  constructor(
    @Inject(ELASTICSEARCH) private readonly es: Elasticsearch,
    readonly names: SearchIndexNames,
  ) {}

  /** Writes through the alias: the live index (rebuilds write to theirs with {@link write}). */
  upsert(documents: readonly VersionedDocument[]): Promise<void> {
    return this.write(this.names.alias, documents);
  }

  /**
   * A SearchIndex writing to one index rather than the alias: a rebuild's new generation, which
   * it has created itself. Searches still go through the alias.
   */
  writingTo(index: string): SearchIndex {
    return {
      ensureIndex: () => Promise.resolve(),
      upsert: (documents) => this.write(index, documents),
      search: (criteria) => this.search(criteria),
      refresh: () => this.refresh(index),
    };
  }

  async search(criteria: SearchCriteria): Promise<SearchResultRecord> {
    const response = await this.es.search<HitSource>({
      index: this.names.alias,
      // Before the first event the alias may not exist yet: no hits rather than an error.
      ignore_unavailable: true,
      ...searchRequest(criteria),
    });
    const total = response.hits.total;
    return {
      total: typeof total === 'number' ? total : (total?.value ?? 0),
      tookMs: response.took,
      hits: response.hits.hits.flatMap((hit) => {
        const source = hit._source;
        if (!source) {
          return [];
        }
        return [
          {
            kind: source.kind,
            missionId: source.missionId,
            commentId: source.commentId ?? null,
            title: source.title ?? source.missionTitle ?? '',
            column: source.column ?? null,
            score: hit._score ?? 0,
            highlights: Object.entries(hit.highlight ?? {}).map(([field, fragments]) => ({
              field: highlightFieldName(field),
              fragments,
            })),
          },
        ];
      }),
    };
  }

  /** Creates the first index behind the alias unless the alias exists (safe to race). */
  async ensureIndex(): Promise<void> {
    if (await this.es.indices.existsAlias({ name: this.names.alias })) {
      return;
    }
    try {
      await this.es.indices.create({
        index: this.names.initial,
        settings: indexSettings(LIVE_REFRESH_INTERVAL),
        mappings: SEARCH_INDEX_MAPPINGS,
        aliases: { [this.names.alias]: { is_write_index: true } },
      });
    } catch (error) {
      if (!isAlreadyExists(error)) {
        throw error;
      }
    }
  }

  /** The indices the alias points at. */
  async aliasedIndices(): Promise<string[]> {
    try {
      return Object.keys(await this.es.indices.getAlias({ name: this.names.alias }));
    } catch (error) {
      if (error instanceof errors.ResponseError && error.meta.statusCode === 404) {
        return [];
      }
      throw error;
    }
  }

  /** Every index of this prefix's generations, whether aliased or not. */
  async generations(): Promise<string[]> {
    const indices = await this.es.cat.indices({ index: `${this.names.alias}-*`, format: 'json' });
    return indices
      .map((entry) => entry.index ?? '')
      .filter((index) => this.names.generationOf(index) !== null)
      .sort();
  }

  /** A new, empty index for a rebuild: no refreshes until {@link activate}. */
  async createIndex(index: string): Promise<void> {
    await this.es.indices.create({
      index,
      settings: indexSettings('-1'),
      mappings: SEARCH_INDEX_MAPPINGS,
    });
  }

  /** Makes an index rebuilt in bulk searchable and keeps it refreshing like a live one. */
  async activate(index: string): Promise<void> {
    await this.es.indices.putSettings({
      index,
      settings: { index: { refresh_interval: LIVE_REFRESH_INTERVAL } },
    });
    await this.es.indices.refresh({ index });
  }

  /** Points the alias at `index` alone, in one atomic step; returns the indices it left. */
  async swapAlias(index: string): Promise<string[]> {
    const previous = (await this.aliasedIndices()).filter((name) => name !== index);
    await this.es.indices.updateAliases({
      actions: [
        ...previous.map((name) => ({ remove: { index: name, alias: this.names.alias } })),
        { add: { index, alias: this.names.alias, is_write_index: true } },
      ],
    });
    return previous;
  }

  async deleteIndices(indices: string[]): Promise<void> {
    if (indices.length > 0) {
      await this.es.indices.delete({ index: indices, ignore_unavailable: true });
    }
  }

  /**
   * Writes documents with their stream version as the external version: a replay or a
   * redelivery of an older state is refused by Elasticsearch, and that refusal is success here.
   */
  async write(index: string, documents: readonly VersionedDocument[]): Promise<void> {
    if (documents.length === 0) {
      return;
    }
    let response: estypes.BulkResponse;
    try {
      response = await this.es.bulk({
        index,
        operations: documents.flatMap(({ id, version, document }) => [
          { index: { _id: id, version, version_type: 'external' } },
          document,
        ]),
      });
    } catch (error) {
      throw engineUnavailable('elasticsearch', error);
    }
    if (!response.errors) {
      return;
    }
    const failures = response.items
      .map((item) => item.index)
      .filter(
        (result): result is estypes.BulkResponseItem =>
          result !== undefined &&
          result.error !== undefined &&
          result.error.type !== 'version_conflict_engine_exception',
      );
    if (failures.length > 0) {
      const first = failures[0]!;
      // A full write queue or a shard moving: the cluster's state, not the event's fault.
      if (failures.every((failure) => failure.status === 429 || failure.status === 503)) {
        throw new EngineUnavailableError('elasticsearch', 'ETIMEDOUT', {
          cause: new Error(`${first.error?.type ?? 'unavailable'}: ${first.error?.reason ?? ''}`),
        });
      }
      throw new Error(
        `Elasticsearch refused ${failures.length} document(s); first ${first._id}: ${first.error?.type} ${first.error?.reason ?? ''}`,
      );
    }
  }

  async refresh(index: string = this.names.alias): Promise<void> {
    await this.es.indices.refresh({ index });
  }

  /** Every document of an index (or the alias) with its version, sorted by id. */
  async dump(index: string = this.names.alias): Promise<StoredDocument[]> {
    await this.es.indices.refresh({ index });
    const documents: StoredDocument[] = [];
    let page = await this.es.search<SearchDocument>({
      index,
      scroll: '30s',
      size: 1_000,
      version: true,
      sort: ['_doc'],
      query: { match_all: {} },
    });
    try {
      while (page.hits.hits.length > 0) {
        for (const hit of page.hits.hits) {
          if (hit._id !== undefined && hit._source) {
            documents.push({ id: hit._id, version: hit._version ?? 0, source: hit._source });
          }
        }
        if (!page._scroll_id) {
          break;
        }
        page = await this.es.scroll<SearchDocument>({ scroll_id: page._scroll_id, scroll: '30s' });
      }
    } finally {
      if (page._scroll_id) {
        await this.es.clearScroll({ scroll_id: page._scroll_id }).catch(() => undefined);
      }
    }
    return documents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }
}

function indexSettings(refreshInterval: string): estypes.IndicesIndexSettings {
  // A replica wherever a second node exists to hold it; none on a single node (yellow forever).
  return { number_of_shards: 1, auto_expand_replicas: '0-1', refresh_interval: refreshInterval };
}

function isAlreadyExists(error: unknown): boolean {
  return (
    error instanceof errors.ResponseError &&
    error.meta.statusCode === 400 &&
    JSON.stringify(error.meta.body).includes('resource_already_exists_exception')
  );
}
