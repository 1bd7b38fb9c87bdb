import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/agent-event-store';

export type WakeHookRecord = { agentId: string; workspaceId: string; url: string; createdAt: Date };

/**
 * An agent's wake URL (kept from its events, replays changing nothing: each write carries the
 * stream version it applies) and its signing secret (state of its own, in no event).
 */
@Injectable()
export class WakeHooksRepository {
  constructor(private readonly prisma: PrismaService) {}

  async applySet(
    tx: Tx,
    hook: { agentId: string; workspaceId: string; url: string; version: number; at: Date },
  ): Promise<void> {
    await tx.$executeRawUnsafe(
      `INSERT INTO wake_hooks (agent_id, workspace_id, url, version, created_at)
       VALUES ($1::uuid, $2::uuid, $3, $4, $5)
       ON CONFLICT (agent_id) DO UPDATE SET url = EXCLUDED.url, version = EXCLUDED.version,
         created_at = EXCLUDED.created_at
       WHERE wake_hooks.version < EXCLUDED.version`,
      hook.agentId,
      hook.workspaceId,
      hook.url,
      hook.version,
      hook.at,
    );
  }

  async applyRemoved(tx: Tx, agentId: string, version: number): Promise<void> {
    await tx.wakeHook.deleteMany({ where: { agentId, version: { lt: version } } });
  }

  async saveSecret(tx: Tx, agentId: string, secret: string): Promise<void> {
    await tx.wakeHookSecret.upsert({
      where: { agentId },
      create: { agentId, secret },
      update: { secret, createdAt: new Date() },
    });
  }

  async deleteSecret(tx: Tx, agentId: string): Promise<void> {
    await tx.wakeHookSecret.deleteMany({ where: { agentId } });
  }

  async find(workspaceId: string, agentId: string): Promise<WakeHookRecord | null> {
    return this.prisma.wakeHook.findFirst({
      where: { agentId, workspaceId },
      select: { agentId: true, workspaceId: true, url: true, createdAt: true },
    });
  }
}
