import { randomUUID } from 'node:crypto';
import type { Hash } from '../common/secrets';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';

export type Session = { familyId: string; userId: string; workspaceId: string | null };

/** A live session as its owner sees it: started at its first token, used at its newest. */
export type SessionSummary = { id: string; startedAt: Date; lastUsedAt: Date };

export type RotateOutcome =
  | { outcome: 'rotated'; session: Session }
  | { outcome: 'unknown' | 'expired' | 'revoked' }
  | { outcome: 'reused'; session: Session };

/** Refresh tokens, grouped in families (one per session), stored as sha256 hashes. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** `tx`: start it inside a caller's transaction (sign-up commits the account and session as one). */
  async start(
    session: { userId: string; workspaceId: string | null },
    tokenHash: Hash,
    expiresAt: Date,
    tx: Tx | PrismaService = this.prisma,
  ): Promise<Session> {
    const familyId = randomUUID();
    await tx.refreshToken.create({
      data: { id: randomUUID(), familyId, ...session, tokenHash, expiresAt },
    });
    return { familyId, ...session };
  }

  /**
   * Exchanges a live token for its successor. A token already rotated or revoked that comes back
   * means it leaked: the caller revokes the whole family.
   */
  rotate(tokenHash: Hash, nextHash: Hash, expiresAt: Date, now: Date): Promise<RotateOutcome> {
    return this.prisma.$transaction(async (tx): Promise<RotateOutcome> => {
      const token = await tx.refreshToken.findUnique({ where: { tokenHash } });
      if (!token) {
        return { outcome: 'unknown' };
      }
      const session: Session = {
        familyId: token.familyId,
        userId: token.userId,
        workspaceId: token.workspaceId,
      };
      if (token.rotatedAt) {
        return { outcome: 'reused', session };
      }
      if (token.revokedAt) {
        return { outcome: 'revoked' };
      }
      if (token.expiresAt <= now) {
        return { outcome: 'expired' };
      }
      // Guarded update: of two concurrent uses of one token, only one rotates it.
      const { count } = await tx.refreshToken.updateMany({
        where: { id: token.id, rotatedAt: null, revokedAt: null },
        data: { rotatedAt: now },
      });
      if (count === 0) {
        return { outcome: 'reused', session };
      }
      await tx.refreshToken.create({
        data: {
          id: randomUUID(),
          familyId: token.familyId,
          userId: token.userId,
          workspaceId: token.workspaceId,
          tokenHash: nextHash,
          expiresAt,
        },
      });
      return { outcome: 'rotated', session };
    });
  }

  /** The session a refresh token (current or already rotated) belongs to, while it is live. */
  async liveSessionOf(
    tokenHash: Hash,
    now: Date,
  ): Promise<{ familyId: string; userId: string } | null> {
    const token = await this.prisma.refreshToken.findUnique({
      where: { tokenHash },
      select: { familyId: true, userId: true },
    });
    return token && (await this.isLive(token.familyId, now)) ? token : null;
  }

  /** Ends sessions on the transaction that records why: their refresh tokens stop working. */
  async revokeFamilies(tx: Tx, familyIds: readonly string[], now: Date): Promise<void> {
    if (familyIds.length > 0) {
      await tx.refreshToken.updateMany({
        where: { familyId: { in: [...familyIds] }, revokedAt: null },
        data: { revokedAt: now },
      });
    }
  }

  /** The user's sessions that can still be refreshed, most recently used first. */
  async listLive(userId: string, now: Date): Promise<SessionSummary[]> {
    const live = await this.prisma.refreshToken.findMany({
      where: { userId, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
      select: { familyId: true },
    });
    if (live.length === 0) {
      return [];
    }
    const families = await this.prisma.refreshToken.groupBy({
      by: ['familyId'],
      where: { userId, familyId: { in: live.map((token) => token.familyId) } },
      _min: { createdAt: true },
      _max: { createdAt: true },
    });
    return families
      .map((family) => ({
        id: family.familyId,
        startedAt: family._min.createdAt ?? now,
        lastUsedAt: family._max.createdAt ?? now,
      }))
      .sort((a, b) => b.lastUsedAt.getTime() - a.lastUsedAt.getTime());
  }

  /** Whether the session is still live (not logged out, not revoked for reuse). */
  async isLive(familyId: string, now: Date): Promise<boolean> {
    const live = await this.prisma.refreshToken.count({
      where: { familyId, rotatedAt: null, revokedAt: null, expiresAt: { gt: now } },
    });
    return live > 0;
  }

  /** Later refreshes of the session mint tokens for this workspace. */
  async switchWorkspace(familyId: string, workspaceId: string): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, rotatedAt: null, revokedAt: null },
      data: { workspaceId },
    });
  }
}
