import { influxClient } from '../src/engines/engines.module';
import { InfluxMetricsStore } from '../src/metrics/influx-metrics-store';
import { analyticsTestConfig, specStreams } from './analytics-test-kit';
import { describeMetricsStoreContract } from './metrics-store.contract';

describeMetricsStoreContract('InfluxDB', () => {
  const config = analyticsTestConfig(specStreams('metrics-contract'));
  // A database of its own under the run's name: other specs dump and drop the run's database.
  const database = `${config.INFLUX_DATABASE}_metrics_contract`;
  const influx = influxClient(config.INFLUX_URL, database);
  return Promise.resolve({
    store: new InfluxMetricsStore(influx, database),
    close: () => influx.dropDatabase(database),
  });
});
