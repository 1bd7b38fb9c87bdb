import { Injectable } from '@nestjs/common';
import type { Hash } from '../common/secrets';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/identity-event-store';

export type AgentKeyRecord = {
  id: string;
  agentId: string;
  workspaceId: string;
  secretHash: Hash;
  revokedAt: Date | null;
  /** A sub-agent's key stops working then; null when it never does. */
  expiresAt: Date | null;
};

export type IssuedAgentKey = {
  id: string;
  agentId: string;
  workspaceId: string;
  prefix: string;
  secretHash: Uint8Array;
  issuedAt: Date;
  expiresAt: Date | null;
};

@Injectable()
export class AgentKeysRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Learnt once: a redelivered AgentKeyIssued changes nothing. */
  async record(tx: Tx, key: IssuedAgentKey): Promise<void> {
    await tx.agentKey.createMany({
      data: [{ ...key, secretHash: Buffer.from(key.secretHash) }],
      skipDuplicates: true,
    });
  }

  async revoke(tx: Tx, id: string, at: Date): Promise<void> {
    await tx.agentKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }

  async findForExchange(prefix: string): Promise<AgentKeyRecord | null> {
    return this.prisma.agentKey.findUnique({
      where: { prefix },
      select: {
        id: true,
        agentId: true,
        workspaceId: true,
        secretHash: true,
        revokedAt: true,
        expiresAt: true,
      },
    });
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.prisma.agentKey.update({ where: { id }, data: { lastUsedAt: at } });
  }
}
