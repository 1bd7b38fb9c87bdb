import { randomUUID } from 'node:crypto';
import type { Hash } from '../common/secrets';
import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

export type Session = { familyId: string; userId: string; workspaceId: string | null };

export type RotateOutcome =
  | { outcome: 'rotated'; session: Session }
  | { outcome: 'unknown' | 'expired' | 'revoked' }
  | { outcome: 'reused'; session: Session };

/** Refresh tokens, grouped in families (one per session), stored as sha256 hashes. */
@Injectable()
export class SessionsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async start(
    session: { userId: string; workspaceId: string | null },
    tokenHash: Hash,
    expiresAt: Date,
  ): Promise<Session> {
    const familyId = randomUUID();
    await this.prisma.refreshToken.create({
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

  async revokeFamily(familyId: string, now: Date): Promise<void> {
    await this.prisma.refreshToken.updateMany({
      where: { familyId, revokedAt: null },
      data: { revokedAt: now },
    });
  }

  async familyOf(tokenHash: Hash): Promise<string | null> {
    const token = await this.prisma.refreshToken.findUnique({
      where: { tokenHash },
      select: { familyId: true },
    });
    return token?.familyId ?? null;
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
