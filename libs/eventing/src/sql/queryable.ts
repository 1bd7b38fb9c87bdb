/**
 * What the event store needs from a database connection: a pg Pool, a pg PoolClient inside a
 * transaction, or a Prisma interactive transaction through `prismaQueryable`. Appending through
 * the caller's transaction is what lets projections commit atomically with their events.
 */
export type Queryable = {
  query<Row = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: Row[] }>;
};

type PrismaRaw = {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
};

/** Runs event-store SQL inside a Prisma interactive transaction (`prisma.$transaction(async (tx) => …)`). */
export function prismaQueryable(tx: PrismaRaw): Queryable {
  return {
    async query<Row>(text: string, values: unknown[] = []) {
      return { rows: await tx.$queryRawUnsafe<Row[]>(text, ...values) };
    },
  };
}

/** Postgres SQLSTATE of a failed query, whether it came from pg directly or through Prisma. */
export function sqlStateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) {
    return undefined;
  }
  // Prisma wraps the database's code (its own codes look alike: P2010) in `meta`; through a
  // driver adapter, in `meta.driverAdapterError.cause.originalCode`.
  const meta = (
    error as {
      meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } };
    }
  ).meta;
  const wrapped = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  if (typeof wrapped === 'string') {
    return wrapped;
  }
  const direct = (error as { code?: unknown }).code;
  return typeof direct === 'string' && /^[0-9A-Z]{5}$/.test(direct) ? direct : undefined;
}

/** Schema names are interpolated into SQL, so only plain identifiers are accepted. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid schema name: ${schema}`);
  }
  return `"${schema}"`;
}

// Connection-level failures (the database is restarting or unreachable) and lock conflicts with
// concurrent work: not the event's fault, and the same work succeeds when tried again.
const TRANSIENT_SQL_STATES = new Set([
  '40001',
  '40P01',
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
]);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** True when retrying the same work later can succeed without anything changing in the event. */
export function isTransientDatabaseError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) {
    return false;
  }
  const state = sqlStateOf(error);
  if (state !== undefined && TRANSIENT_SQL_STATES.has(state)) {
    return true;
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && TRANSIENT_NODE_CODES.has(code)) {
    return true;
  }
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|terminating connection/i.test(
    message,
  );
}
