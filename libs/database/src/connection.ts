import pg from 'pg';

/** The parts of a Postgres URL we pass to `pg` one by one, so nothing in a URL can override them. */
export type ConnectionFields = {
  host: string;
  port: number;
  user?: string;
  password?: string;
  database: string;
  ssl?: pg.ClientConfig['ssl'];
  applicationName?: string;
};

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Service schemas are plain lowercase identifiers: they go into SQL and `search_path` unquoted. */
export function assertSchemaName(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new Error(`"${schema}" is not a valid schema name (lowercase letters, digits and _)`);
  }
  return schema;
}

/**
 * Splits a `postgres://` / `postgresql://` URL into discrete fields. Supports user, password, host
 * (also `?host=` for a socket directory), port, database, `sslmode` and `application_name`.
 */
export function parseDatabaseUrl(databaseUrl: string): ConnectionFields {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    throw new Error('DATABASE_URL is not a valid URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must use postgres:// or postgresql://, got ${url.protocol}//`);
  }
  const params = url.searchParams;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database) {
    throw new Error('DATABASE_URL names no database');
  }
  const fields: ConnectionFields = {
    host:
      params.get('host') ??
      (decodeURIComponent(url.hostname).replace(/^\[(.*)\]$/, '$1') || '127.0.0.1'),
    port: Number(url.port || params.get('port') || 5432),
    database,
  };
  const user = decodeURIComponent(url.username) || params.get('user');
  if (user) {
    fields.user = user;
  }
  const password = decodeURIComponent(url.password) || params.get('password');
  if (password) {
    fields.password = password;
  }
  const sslmode = params.get('sslmode');
  if (sslmode === 'require' || sslmode === 'no-verify') {
    fields.ssl = { rejectUnauthorized: false };
  } else if (sslmode === 'verify-ca' || sslmode === 'verify-full') {
    fields.ssl = { rejectUnauthorized: true };
  }
  const applicationName = params.get('application_name');
  if (applicationName) {
    fields.applicationName = applicationName;
  }
  return fields;
}

/** The same server and credentials, another database (e.g. `postgres` for CREATE DATABASE). */
export function withDatabase(fields: ConnectionFields, database: string): ConnectionFields {
  return { ...fields, database };
}

export const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

const TEXT_OID = 25;
/** `"char"` (18) and `name` (19): catalog types the Prisma adapter cannot deserialize (prisma/orm#27403). */
const CATALOG_TEXT_OIDS = new Set([18, 19]);

type FieldList = { fields?: { dataTypeID: number }[] };

function retypeCatalogFields(result: unknown): unknown {
  for (const item of Array.isArray(result) ? (result as unknown[]) : [result]) {
    for (const field of (item as FieldList | null)?.fields ?? []) {
      if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) {
        field.dataTypeID = TEXT_OID;
      }
    }
  }
  return result;
}

type QueryFn = (...args: unknown[]) => unknown;

/**
 * A `pg.Client` that reports `"char"` and `name` columns as `text`. pg already decodes both as
 * strings; only the type id made `@prisma/adapter-pg` throw `Column type 'name' could not be
 * deserialized` on the schema engine's catalog queries.
 */
export class CatalogTextClient extends pg.Client {}

const originalQuery = Reflect.get(pg.Client.prototype, 'query') as QueryFn;
Object.defineProperty(CatalogTextClient.prototype, 'query', {
  configurable: true,
  writable: true,
  value: function query(this: pg.Client, ...args: unknown[]): unknown {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (error: unknown, result: unknown) =>
        (callback as (e: unknown, r: unknown) => void)(
          error,
          error ? result : retypeCatalogFields(result),
        );
      return Reflect.apply(originalQuery, this, args);
    }
    const returned = Reflect.apply(originalQuery, this, args);
    return returned instanceof Promise ? returned.then(retypeCatalogFields) : returned;
  },
});

export type PoolOptions = {
  /** Schema put first on `search_path`, so unqualified SQL (and `_prisma_migrations`) lands there. */
  schema: string;
  max?: number;
  /** Idle connections close after this; they never keep the process alive (`allowExitOnIdle`). */
  idleTimeoutMillis?: number;
  connectionTimeoutMillis?: number;
};

/** Connection settings for `pg` from discrete fields (never a connection string). */
export function clientConfig(fields: ConnectionFields): pg.ClientConfig {
  const config: pg.ClientConfig = {
    host: fields.host,
    port: fields.port,
    database: fields.database,
  };
  if (fields.user !== undefined) {
    config.user = fields.user;
  }
  if (fields.password !== undefined) {
    config.password = fields.password;
  }
  if (fields.ssl !== undefined) {
    config.ssl = fields.ssl;
  }
  if (fields.applicationName !== undefined) {
    config.application_name = fields.applicationName;
  }
  return config;
}

/** A pool config with the service schema on `search_path` and catalog types readable by Prisma. */
export function poolConfig(fields: ConnectionFields, options: PoolOptions): pg.PoolConfig {
  return {
    ...clientConfig(fields),
    options: `-c search_path=${assertSchemaName(options.schema)}`,
    max: options.max ?? 10,
    idleTimeoutMillis: options.idleTimeoutMillis ?? 10_000,
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? 5_000,
    allowExitOnIdle: true,
    Client: CatalogTextClient,
  };
}

/** Runs `work` on one short-lived connection (no pool, default search_path). */
export async function withClient<T>(
  fields: ConnectionFields,
  work: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client(clientConfig(fields));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
