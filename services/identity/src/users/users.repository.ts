import { Injectable } from '@nestjs/common';
import { AppError } from '@mission-control/errors';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';
import { isUniqueViolation } from '../common/prisma-errors';

export type UserRecord = { id: string; email: string; name: string; createdAt: Date };

@Injectable()
export class UsersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The read row of a new user and their password hash, on the sign-up transaction. */
  async insert(
    tx: Tx,
    user: { id: string; email: string; name: string },
    passwordHash: string,
  ): Promise<void> {
    try {
      await tx.user.create({
        data: { ...user, credential: { create: { hash: passwordHash } } },
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw AppError.conflict('An account with this email already exists');
      }
      throw error;
    }
  }

  findById(id: string): Promise<UserRecord | null> {
    return this.prisma.user.findUnique({ where: { id } });
  }

  findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    return this.prisma.user.findMany({ where: { id: { in: [...ids] } } });
  }

  async findWithPasswordHash(
    email: string,
  ): Promise<{ user: UserRecord; passwordHash: string | null } | null> {
    const found = await this.prisma.user.findUnique({
      where: { email },
      include: { credential: true },
    });
    if (!found) {
      return null;
    }
    const { credential, ...user } = found;
    return { user, passwordHash: credential?.hash ?? null };
  }

  async findPasswordHashById(userId: string): Promise<string | null> {
    const credential = await this.prisma.passwordCredential.findUnique({ where: { userId } });
    return credential?.hash ?? null;
  }

  async setPasswordHash(tx: Tx, userId: string, passwordHash: string, at: Date): Promise<void> {
    await tx.passwordCredential.upsert({
      where: { userId },
      create: { userId, hash: passwordHash, updatedAt: at },
      update: { hash: passwordHash, updatedAt: at },
    });
  }
}
