import { Client as Elasticsearch } from '@elastic/elasticsearch';
import type { ReadinessCheck } from '@mission-control/platform';
import { InfluxDB } from 'influx';

/** Cluster health rather than ping: GET / is absent from some distributions, health never is. */
export class ElasticsearchReadiness implements ReadinessCheck {
  readonly name = 'elasticsearch';
  private readonly client: Elasticsearch;

  constructor(node: string) {
    this.client = new Elasticsearch({ node, requestTimeout: 1_500, maxRetries: 0 });
  }

  async check(): Promise<void> {
    const health = await this.client.cluster.health({ timeout: '1s' });
    if (health.status === 'red') {
      throw new Error('Elasticsearch cluster health is red');
    }
  }

  close(): Promise<void> {
    return this.client.close();
  }
}

export class InfluxReadiness implements ReadinessCheck {
  readonly name = 'influxdb';
  private readonly influx: InfluxDB;

  constructor(url: string) {
    this.influx = new InfluxDB(url);
  }

  async check(): Promise<void> {
    const [host] = await this.influx.ping(1_500);
    if (!host?.online) {
      throw new Error('InfluxDB did not answer its ping');
    }
  }
}
