import { Injectable } from '@nestjs/common';
import type { Hash } from '../common/secrets';
import type { Permission, Role } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { isPermission, isRole } from '@mission-control/auth';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';
import { isUniqueViolation } from '../common/prisma-errors';

export type WorkspaceRecord = { id: string; name: string; slug: string; createdAt: Date };
export type MemberRecord = {
  workspaceId: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
};
export type InvitationRecord = {
  id: string;
  workspaceId: string;
  email: string;
  role: Role;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
};
export type ApiKeyRecord = {
  id: string;
  workspaceId: string;
  name: string;
  prefix: string;
  scopes: Permission[];
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
};

const roleOf = (value: string): Role => {
  if (!isRole(value)) {
    throw new Error(`Unknown role in the read model: ${value}`);
  }
  return value;
};
const scopesOf = (values: string[]): Permission[] => values.filter(isPermission);

const invitationRecordOf = (
  row: Omit<InvitationRecord, 'role'> & { role: string },
): InvitationRecord => ({
  id: row.id,
  workspaceId: row.workspaceId,
  email: row.email,
  role: roleOf(row.role),
  expiresAt: row.expiresAt,
  acceptedAt: row.acceptedAt,
  revokedAt: row.revokedAt,
  createdAt: row.createdAt,
});

/** The workspace read tables: workspaces, memberships, invitations and API keys. */
@Injectable()
export class WorkspacesRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insertWorkspace(
    tx: Tx,
    workspace: { id: string; name: string; slug: string; createdBy: string },
  ): Promise<void> {
    try {
      await tx.workspace.create({ data: workspace });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw AppError.conflict('A workspace with this slug exists; try again');
      }
      throw error;
    }
  }

  async upsertMember(tx: Tx, workspaceId: string, userId: string, role: Role): Promise<void> {
    await tx.membership.upsert({
      where: { workspaceId_userId: { workspaceId, userId } },
      create: { workspaceId, userId, role },
      update: { role },
    });
  }

  async deleteMember(tx: Tx, workspaceId: string, userId: string): Promise<void> {
    await tx.membership.deleteMany({ where: { workspaceId, userId } });
  }

  async insertInvitation(
    tx: Tx,
    invitation: {
      id: string;
      workspaceId: string;
      email: string;
      role: Role;
      tokenHash: Hash;
      invitedBy: string;
      expiresAt: Date;
    },
  ): Promise<void> {
    await tx.invitation.create({ data: invitation });
  }

  async markInvitationAccepted(tx: Tx, id: string, userId: string, at: Date): Promise<void> {
    await tx.invitation.update({ where: { id }, data: { acceptedAt: at, acceptedBy: userId } });
  }

  async insertApiKey(
    tx: Tx,
    key: {
      id: string;
      workspaceId: string;
      name: string;
      prefix: string;
      secretHash: Hash;
      scopes: Permission[];
      createdBy: string;
    },
  ): Promise<void> {
    await tx.apiKey.create({ data: key });
  }

  async renameWorkspace(tx: Tx, id: string, name: string): Promise<void> {
    await tx.workspace.update({ where: { id }, data: { name } });
  }

  async revokeInvitation(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.invitation.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }

  async revokeApiKey(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }

  findWorkspace(id: string): Promise<WorkspaceRecord | null> {
    return this.prisma.workspace.findUnique({
      where: { id },
      select: { id: true, name: true, slug: true, createdAt: true },
    });
  }

  async findRole(workspaceId: string, userId: string): Promise<Role | null> {
    const membership = await this.prisma.membership.findUnique({
      where: { workspaceId_userId: { workspaceId, userId } },
    });
    return membership ? roleOf(membership.role) : null;
  }

  async listMembers(workspaceId: string): Promise<MemberRecord[]> {
    const rows = await this.prisma.membership.findMany({
      where: { workspaceId },
      include: { user: true },
      orderBy: { joinedAt: 'asc' },
    });
    return rows.map((row) => ({
      workspaceId: row.workspaceId,
      userId: row.userId,
      email: row.user.email,
      name: row.user.name,
      role: roleOf(row.role),
      joinedAt: row.joinedAt,
    }));
  }

  async listMemberships(userId: string): Promise<(WorkspaceRecord & { role: Role })[]> {
    const rows = await this.prisma.membership.findMany({
      where: { userId },
      include: { workspace: true },
      orderBy: { joinedAt: 'asc' },
    });
    return rows.map((row) => ({
      id: row.workspace.id,
      name: row.workspace.name,
      slug: row.workspace.slug,
      createdAt: row.workspace.createdAt,
      role: roleOf(row.role),
    }));
  }

  async findInvitationByTokenHash(tokenHash: Hash): Promise<InvitationRecord | null> {
    const row = await this.prisma.invitation.findUnique({ where: { tokenHash } });
    return row ? invitationRecordOf(row) : null;
  }

  async findInvitation(id: string): Promise<InvitationRecord | null> {
    const row = await this.prisma.invitation.findUnique({ where: { id } });
    return row ? invitationRecordOf(row) : null;
  }

  /** Invitations that can still be accepted, newest first. */
  async listPendingInvitations(workspaceId: string, now: Date): Promise<InvitationRecord[]> {
    const rows = await this.prisma.invitation.findMany({
      where: { workspaceId, acceptedAt: null, revokedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'desc' },
    });
    return rows.map(invitationRecordOf);
  }

  async listApiKeys(workspaceId: string): Promise<ApiKeyRecord[]> {
    const rows = await this.prisma.apiKey.findMany({
      where: { workspaceId },
      orderBy: { createdAt: 'asc' },
      omit: { secretHash: true, createdBy: true },
    });
    return rows.map((row) => ({ ...row, scopes: scopesOf(row.scopes) }));
  }

  async findApiKey(id: string): Promise<ApiKeyRecord | null> {
    const row = await this.prisma.apiKey.findUnique({
      where: { id },
      omit: { secretHash: true, createdBy: true },
    });
    return row ? { ...row, scopes: scopesOf(row.scopes) } : null;
  }

  /** For exchanging a key: the one place the stored hash is read. */
  async findApiKeyForExchange(
    prefix: string,
  ): Promise<(ApiKeyRecord & { secretHash: Hash }) | null> {
    const row = await this.prisma.apiKey.findUnique({
      where: { prefix },
      omit: { createdBy: true },
    });
    return row ? { ...row, secretHash: row.secretHash, scopes: scopesOf(row.scopes) } : null;
  }

  async touchApiKey(id: string, at: Date): Promise<void> {
    await this.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}
