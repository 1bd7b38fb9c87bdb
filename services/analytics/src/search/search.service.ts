import { Injectable } from '@nestjs/common';
import { assertWorkspace, type Principal } from '@mission-control/auth';
import { assertId } from '@mission-control/eventing';
import { SearchIndex, type SearchResultRecord } from './search-index.port';
import { searchCriteria, type SearchInput } from './search-query';

/** Full-text search over a workspace's missions and comments. */
@Injectable()
export class SearchService {
  constructor(private readonly index: SearchIndex) {}

  /** Any member of the workspace; never anything of another workspace. */
  search(
    principal: Principal,
    workspaceId: string,
    input: SearchInput,
  ): Promise<SearchResultRecord> {
    assertWorkspace(principal, workspaceId);
    if (input.agentId !== null && input.agentId !== undefined) {
      assertId(input.agentId, 'filters.agentId');
    }
    return this.index.search(searchCriteria(workspaceId, input));
  }
}
