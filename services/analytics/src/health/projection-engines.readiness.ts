import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { postgresReadiness } from '@mission-control/database';
import { KafkaReadiness, type ReadinessCheck } from '@mission-control/platform';
import { InfluxDB } from 'influx';
import type { ProjectionsConfig } from '../analytics.config';
import type { PrismaService } from '../database/prisma.service';

/** The checks of the engines this configuration uses: Postgres always, the others by choice. */
export function projectionEngineChecks(
  config: ProjectionsConfig,
  prisma: PrismaService,
): ReadinessCheck[] {
  return [
    // An in-process bus is part of this process: nothing to wait for.
    ...(config.EVENT_BUS === 'kafka'
      ? [new KafkaReadiness(config.KAFKA_BROKERS, config.KAFKA_CLIENT_ID ?? 'analytics')]
      : []),
    postgresReadiness(prisma),
    ...(config.ANALYTICS_SEARCH_ENGINE === 'elasticsearch'
      ? [new ElasticsearchReadiness(config.ELASTICSEARCH_URL)]
      : []),
    ...(config.ANALYTICS_METRICS_ENGINE === 'influxdb'
      ? [new InfluxReadiness(config.INFLUX_URL)]
      : []),
  ];
}

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
