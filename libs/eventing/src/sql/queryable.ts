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
  const direct = (error as { code?: unknown }).code;
  if (typeof direct === 'string' && /^[0-9A-Z]{5}$/.test(direct)) {
    return direct;
  }
  const meta = (error as { meta?: { code?: unknown } }).meta;
  return typeof meta?.code === 'string' ? meta.code : undefined;
}

/** Schema names are interpolated into SQL, so only plain identifiers are accepted. */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`Invalid schema name: ${schema}`);
  }
  return `"${schema}"`;
}
