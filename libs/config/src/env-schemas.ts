import { z } from 'zod';

/** Marks a value as a secret: it parses as usual but prints as [redacted] in logs and errors. */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return '[redacted]';
  }
  toJSON(): string {
    return '[redacted]';
  }
}

export const secret = () =>
  z
    .string()
    .min(1)
    .transform((value) => new Secret(value));

export const port = (defaultPort: number) =>
  z.coerce.number().int().min(1).max(65_535).default(defaultPort);

/** A comma-separated list (blanks dropped), each item checked by `item`; at least one. */
export const commaList = (item: z.ZodString = z.string().min(1)) =>
  z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item).min(1));

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const runtimeEnv = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: logLevel.default('info'),
  /** The address to listen on: loopback on a laptop; 0.0.0.0 in a container. */
  HOST: z.string().min(1).default('127.0.0.1'),
});

/** A service serving a subgraph of the graph. */
export const subgraphEnv = z.object({
  /**
   * Queries executing at once in this service; the rest wait in order, and mutations never wait
   * for them, so a burst of large reads cannot hold up a write. 0 (the default): no limit, since a
   * service whose reads mostly wait on Postgres or Elasticsearch would be throttled by a low one.
   * Where reads are CPU-bound on few cores, 2 here and 4 at the gateway halved the tail of a create
   * under a board load (bench/api/README.md).
   */
  SUBGRAPH_QUERY_CONCURRENCY: z.coerce.number().int().min(0).max(10_000).default(0),
});

export const postgresEnv = z.object({
  DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .default('postgresql://postgres@127.0.0.1:5432/mission_control'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
});

export const kafkaEnv = z.object({
  /**
   * What carries events between services: Kafka, or a bus inside this one process (standalone
   * mode, every service in one process; KAFKA_BROKERS is then unused).
   */
  EVENT_BUS: z.enum(['kafka', 'in-process']).default('kafka'),
  KAFKA_BROKERS: commaList(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).default([
    '127.0.0.1:9092',
  ]),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
});

export const elasticsearchEnv = z.object({
  ELASTICSEARCH_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:9200'),
  ELASTICSEARCH_INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, _ and -')
    .default('mc'),
});

export const influxEnv = z.object({
  INFLUX_URL: z.url({ protocol: /^https?$/ }).default('http://127.0.0.1:8086'),
  INFLUX_DATABASE: z
    .string()
    .regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _')
    .default('mission_control'),
});
