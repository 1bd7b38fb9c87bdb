import { Args, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { asColumn, toColumnValue } from '../graphql/board-column.enum';
import { asHitKind, SearchFilters, SearchResults, toHitKindValue } from './search.models';
import { SearchService } from './search.service';

/** Thin: checks and rules are in SearchService. */
@Resolver()
export class SearchResolver {
  constructor(private readonly searches: SearchService) {}

  @Query(() => SearchResults, {
    description: 'Full-text search over the workspace’s missions and comments; any member.',
  })
  async search(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('query') query: string,
    @Args('filters', { type: () => SearchFilters, nullable: true }) filters?: SearchFilters | null,
    @Args('first', { type: () => Int, nullable: true, defaultValue: 20 }) first?: number | null,
  ): Promise<SearchResults> {
    const results = await this.searches.search(principal, workspaceId, {
      query,
      first,
      kinds: filters?.kinds?.map(asHitKind),
      columns: filters?.columns?.map(asColumn),
      tags: filters?.tags,
      agentId: filters?.agentId,
      from: filters?.from,
      to: filters?.to,
    });
    return {
      ...results,
      hits: results.hits.map((hit) => ({
        ...hit,
        kind: toHitKindValue(hit.kind),
        column: hit.column ? toColumnValue(hit.column) : null,
      })),
    };
  }
}
