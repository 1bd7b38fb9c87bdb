import { Injectable } from '@nestjs/common';
import { assertWorkspace, type Principal } from '@mission-control/auth';
import { SearchIndexRepository, type SearchResultRecord } from './search-index.repository';
import { searchCriteria, type SearchInput } from './search-query';

/** Full-text search over a workspace's missions and comments. */
@Injectable()
export class SearchService {
  constructor(private readonly index: SearchIndexRepository) {}

  /** Any member of the workspace; never anything of another workspace. */
  search(
    principal: Principal,
    workspaceId: string,
    input: SearchInput,
  ): Promise<SearchResultRecord> {
    assertWorkspace(principal, workspaceId);
    return this.index.search(searchCriteria(workspaceId, input));
  }
}
