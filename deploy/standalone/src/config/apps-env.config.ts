import type { Env } from '@mission-control/config';
import type { StandaloneConfig } from './standalone.config';

const IN_PROCESS = 'events travel on the bus inside this one process';
const TOPIC = 'the in-process bus names its topics itself; nothing outside the process reads them';
const SECRET = 'made on the first start and kept in the data folder';
const SERVICE_PORT =
  'each service listens on a loopback port the system picks; PORT is the one port';
const SUBGRAPH_URL = 'the gateway reaches the services inside this process';
const LOCAL_ENGINES = 'a setting of deploy/local/infra.sh, whose engines standalone does not use';

/**
 * The settings standalone mode decides itself, with why an operator's value cannot apply to one
 * process on one machine. Setting one is not an error: the start names it as not used.
 */
export const NOT_IN_STANDALONE = {
  DATABASE_URL: 'the database is the embedded Postgres in the data folder',
  EVENT_BUS: IN_PROCESS,
  KAFKA_BROKERS: `no Kafka: ${IN_PROCESS}`,
  KAFKA_CLIENT_ID: `no Kafka: ${IN_PROCESS}`,
  IDENTITY_EVENTS_TOPIC: TOPIC,
  AGENT_EVENTS_TOPIC: TOPIC,
  MISSION_EVENTS_TOPIC: TOPIC,
  LIVE_TOPICS: `${TOPIC}, and pushes all of them live`,
  ANALYTICS_SEARCH_ENGINE: 'search is Postgres full-text',
  ANALYTICS_METRICS_ENGINE: 'metrics are kept in Postgres',
  ELASTICSEARCH_URL: 'no Elasticsearch: search is Postgres full-text',
  ELASTICSEARCH_INDEX_PREFIX: 'no Elasticsearch: search is Postgres full-text',
  INFLUX_URL: 'no InfluxDB: metrics are kept in Postgres',
  INFLUX_DATABASE: 'no InfluxDB: metrics are kept in Postgres',
  ANALYTICS_CONSUMER_GROUP: 'one analytics instance, whose projections keep their one name',
  ANALYTICS_PROJECTIONS_ENABLED: 'the one analytics instance always projects',
  INTERNAL_AUTH_SECRET: SECRET,
  IDENTITY_SIGNING_KEY: SECRET,
  CLIENT_ADDRESS_SECRET: SECRET,
  GATEWAY_PORT: 'the gateway answers on PORT, beside the web app',
  IDENTITY_PORT: SERVICE_PORT,
  AGENT_PORT: SERVICE_PORT,
  MISSION_PORT: SERVICE_PORT,
  ANALYTICS_PORT: SERVICE_PORT,
  INTEGRATION_PORT: 'the integration service (no graph or consumers yet) does not run',
  WEB_PORT: 'the web app answers on PORT, beside the graph',
  IDENTITY_JWKS_URL: SUBGRAPH_URL,
  IDENTITY_GRAPHQL_URL: SUBGRAPH_URL,
  AGENT_GRAPHQL_URL: SUBGRAPH_URL,
  MISSION_GRAPHQL_URL: SUBGRAPH_URL,
  ANALYTICS_GRAPHQL_URL: SUBGRAPH_URL,
  MC_INFRA_DIR: LOCAL_ENGINES,
  MC_INFRA_ENGINES: LOCAL_ENGINES,
  MC_PG_PORT: LOCAL_ENGINES,
  MC_KAFKA_PORT: LOCAL_ENGINES,
  MC_ES_PORT: LOCAL_ENGINES,
  MC_INFLUX_PORT: LOCAL_ENGINES,
} as const satisfies Record<string, string>;

export type NotInStandalone = keyof typeof NOT_IN_STANDALONE;

/** What standalone made for this run: its database and the data folder's secrets. */
export type StandaloneOwned = {
  DATABASE_URL: string;
  INTERNAL_AUTH_SECRET: string;
  IDENTITY_SIGNING_KEY: string;
};

const notInStandalone = (key: string): key is NotInStandalone =>
  Object.hasOwn(NOT_IN_STANDALONE, key);

/**
 * The environment every app of the process boots from: the operator's settings as they are, for
 * each app's own schema to validate (a bad value fails the start naming the key, as when an app
 * runs alone), with standalone's own choices in place of those it decides; and which of those the
 * operator set, in vain.
 */
export function appsEnv(
  config: Pick<StandaloneConfig, 'NODE_ENV' | 'LOG_LEVEL' | 'environment'>,
  owned: StandaloneOwned,
): { env: Env; ignored: NotInStandalone[] } {
  const settings = Object.entries(config.environment).filter(
    ([key, value]) => value !== undefined && value !== '' && !notInStandalone(key),
  );
  return {
    env: {
      // Four services share the embedded Postgres and its 100 connections.
      DATABASE_POOL_SIZE: '5',
      // The services run in this process: two reads at a time keep the event loop free for
      // mutations and live push (see the gateway's QueryLane).
      GATEWAY_QUERY_CONCURRENCY: '2',
      // One machine, one person: an agent's wake URL is often a runner on this same machine.
      AGENT_WAKE_ALLOW_PRIVATE_URLS: 'true',
      ...Object.fromEntries(settings),
      NODE_ENV: config.NODE_ENV,
      LOG_LEVEL: config.LOG_LEVEL,
      ...owned,
      EVENT_BUS: 'in-process',
      ANALYTICS_SEARCH_ENGINE: 'postgres',
      ANALYTICS_METRICS_ENGINE: 'postgres',
    },
    ignored: Object.keys(config.environment).filter(
      (key): key is NotInStandalone => notInStandalone(key) && Boolean(config.environment[key]),
    ),
  };
}
