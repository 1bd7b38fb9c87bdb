import type { Pool, PoolClient } from 'pg';
import type { DeliveredRecord } from '../transport/transport';
import { prismaQueryable, type Queryable } from './queryable';

/**
 * Runs work in one database transaction and hands it both the caller's own transaction object
 * (a pg client, a Prisma transaction…) and a `Queryable` on the same transaction for the inbox.
 * A consumer also says which records the transaction is for, so a unit of work can load what
 * they need in one go (none for inbox-only work such as a dead letter).
 */
export type UnitOfWork<Tx> = {
  run<T>(
    work: (tx: Tx, sql: Queryable) => Promise<T>,
    records?: readonly DeliveredRecord[],
  ): Promise<T>;
};

export function pgUnitOfWork(pool: Pool): UnitOfWork<PoolClient> {
  return {
    async run(work) {
      const client = await pool.connect();
      // A checked-out client whose server goes away emits 'error' besides failing the query;
      // unheard, that event would crash the process.
      const onError = () => {};
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const result = await work(client, client);
        await client.query('COMMIT');
        client.off('error', onError);
        client.release();
        return result;
      } catch (error) {
        await client.query('ROLLBACK').then(
          () => client.release(),
          () => client.release(true),
        );
        client.off('error', onError);
        throw error;
      }
    },
  };
}

/** A Prisma client, as far as running interactive transactions goes. */
export type PrismaWithTransactions<Tx> = {
  $transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
};

export function prismaUnitOfWork<Tx extends Parameters<typeof prismaQueryable>[0]>(
  prisma: PrismaWithTransactions<Tx>,
): UnitOfWork<Tx> {
  return { run: (work) => prisma.$transaction((tx) => work(tx, prismaQueryable(tx))) };
}
