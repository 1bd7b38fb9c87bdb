import { Client } from 'pg';

/** Same server and credentials as `baseUrl`, another database. */
export function withDatabase(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onMaintenanceDb<T>(
  baseUrl: string,
  run: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({ connectionString: withDatabase(baseUrl, 'postgres') });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function createDatabase(baseUrl: string, database: string): Promise<string> {
  await onMaintenanceDb(baseUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(database)}`),
  );
  return withDatabase(baseUrl, database);
}

export async function dropDatabase(baseUrl: string, database: string): Promise<void> {
  await onMaintenanceDb(baseUrl, (client) =>
    client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`),
  );
}
