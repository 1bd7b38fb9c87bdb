import { Client as Elasticsearch } from '@elastic/elasticsearch';
import {
  type DynamicModule,
  Inject,
  Injectable,
  Module,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InfluxDB } from 'influx';
import { SearchIndexNames } from './search-index-names';

export const ELASTICSEARCH = Symbol('ELASTICSEARCH');
export const INFLUX = Symbol('INFLUX');
export const INFLUX_DATABASE = Symbol('INFLUX_DATABASE');

export type EnginesOptions = {
  elasticsearchUrl: string;
  indexPrefix: string;
  influxUrl: string;
  influxDatabase: string;
};

@Injectable()
class EngineClientsCloser implements OnApplicationShutdown {
  constructor(@Inject(ELASTICSEARCH) private readonly elasticsearch: Elasticsearch) {}

  async onApplicationShutdown(): Promise<void> {
    await this.elasticsearch.close();
  }
}

/** An InfluxDB client of one database, at a URL such as http://localhost:8086. */
export function influxClient(influxUrl: string, database: string): InfluxDB {
  const url = new URL(influxUrl);
  return new InfluxDB({
    host: url.hostname,
    port: Number(url.port || (url.protocol === 'https:' ? 443 : 80)),
    protocol: url.protocol === 'https:' ? 'https' : 'http',
    database,
  });
}

/** The Elasticsearch and InfluxDB clients; only repositories inject them. */
@Module({})
export class EnginesModule {
  static forRoot(options: EnginesOptions): DynamicModule {
    return {
      module: EnginesModule,
      providers: [
        {
          provide: ELASTICSEARCH,
          useFactory: () =>
            new Elasticsearch({ node: options.elasticsearchUrl, requestTimeout: 30_000 }),
        },
        {
          provide: INFLUX,
          useFactory: () => influxClient(options.influxUrl, options.influxDatabase),
        },
        { provide: INFLUX_DATABASE, useValue: options.influxDatabase },
        { provide: SearchIndexNames, useValue: new SearchIndexNames(options.indexPrefix) },
        EngineClientsCloser,
      ],
      exports: [ELASTICSEARCH, INFLUX, INFLUX_DATABASE, SearchIndexNames],
    };
  }
}
