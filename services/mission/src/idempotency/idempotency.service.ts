import { Injectable } from '@nestjs/common';
import type { Prisma } from '../generated/prisma/client';
import { AppError } from '@mission-control/errors';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';
import { IDEMPOTENCY_HOURS, idempotencyKeyOf, requestHash } from './idempotency';

/** One agent write made under a key: who, which operation, with what input. */
export type KeyedWrite = {
  workspaceId: string;
  actor: string;
  key: string | null;
  operation: string;
  input: unknown;
};

type Stored = { operation: string; requestHash: string; result: Prisma.JsonValue };

/**
 * Idempotency keys for agent writes: the first call with a key does the write and keeps its
 * answer on the same transaction; a retry with the same input gets that answer again and changes
 * nothing; another input under the same key is CONFLICT. A retry racing the first call waits for
 * it (the key's row is unique), then answers from it.
 */
@Injectable()
export class IdempotencyService {
  constructor(private readonly prisma: PrismaService) {}

  async once<T extends Prisma.InputJsonValue>(
    tx: Tx,
    write: KeyedWrite,
    perform: () => Promise<T>,
  ): Promise<T> {
    // Checked here, after the caller's access checks: another workspace learns nothing from it.
    const key = idempotencyKeyOf(write.key);
    if (key === null) {
      return perform();
    }
    const hash = requestHash(write.operation, write.input);
    const claimed = await tx.$executeRaw`
      INSERT INTO "mission"."idempotency_keys"
        (actor, key, workspace_id, operation, request_hash, result, created_at)
      VALUES (${write.actor}, ${key}, ${write.workspaceId}::uuid, ${write.operation},
              ${hash}, 'null'::jsonb, now())
      ON CONFLICT (actor, key) DO NOTHING`;
    if (claimed === 0) {
      const stored = await tx.idempotencyKey.findUnique({
        where: { actor_key: { actor: write.actor, key } },
        select: { operation: true, requestHash: true, result: true },
      });
      return this.replay<T>(stored, write, hash);
    }
    const result = await perform();
    await tx.idempotencyKey.update({
      where: { actor_key: { actor: write.actor, key } },
      data: { result },
    });
    return result;
  }

  /** Forgets keys older than a day, at most `limit`; how many. */
  async forgetOld(limit: number): Promise<number> {
    return this.prisma.$executeRaw`
      DELETE FROM "mission"."idempotency_keys" WHERE ctid IN (
        SELECT ctid FROM "mission"."idempotency_keys"
        WHERE created_at < now() - make_interval(hours => ${IDEMPOTENCY_HOURS})
        LIMIT ${limit})`;
  }

  private replay<T>(stored: Stored | null, write: KeyedWrite, hash: string): T {
    if (!stored) {
      // Forgotten between the insert and the read: only a key a day old gets here.
      throw AppError.conflict('This idempotency key has just expired: retry with a new key');
    }
    if (stored.operation !== write.operation || stored.requestHash !== hash) {
      throw AppError.conflict(
        'This idempotency key was used for another request: use a new key for a new request',
        { idempotencyKey: write.key },
      );
    }
    return stored.result as T;
  }
}
