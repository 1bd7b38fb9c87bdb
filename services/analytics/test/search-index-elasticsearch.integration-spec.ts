import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { SearchIndexNames } from '../src/engines/search-index-names';
import { ElasticsearchSearchIndex } from '../src/search/elasticsearch-search-index';
import { analyticsTestConfig, specStreams } from './analytics-test-kit';
import { describeSearchIndexContract } from './search-index.contract';

describeSearchIndexContract('Elasticsearch', () => {
  const config = analyticsTestConfig(specStreams('search-contract'));
  const es = new Elasticsearch({ node: config.ELASTICSEARCH_URL });
  // An alias of its own under the run's prefix: no other spec's documents in it.
  const names = new SearchIndexNames(`${config.ELASTICSEARCH_INDEX_PREFIX}-contract`);
  const index = new ElasticsearchSearchIndex(es, names);
  return Promise.resolve({
    index,
    close: async () => {
      await index.deleteIndices(await index.generations());
      await es.close();
    },
  });
});
