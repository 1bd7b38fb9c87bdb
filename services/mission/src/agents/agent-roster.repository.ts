import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/mission-event-store';

/** What the mission service knows of an agent: enough to decide whether it may be assigned. */
export type KnownAgent = { id: string; workspaceId: string; active: boolean };

export type AgentFact = KnownAgent & { version: number; at: Date };

export type AgentPresence = {
  id: string;
  workspaceId: string;
  online: boolean;
  version: number;
  at: Date;
};

/** The mission schema's copy of the agents (id, workspace, active), fed by agent events. */
@Injectable()
export class AgentRosterRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Records what an agent event says, unless a later event of its stream was applied already:
   * a redelivered or replayed event changes nothing. The workspace of an agent never changes.
   */
  async record(tx: Tx, fact: AgentFact): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO "mission"."agents" (id, workspace_id, active, version, updated_at)
      VALUES (${fact.id}::uuid, ${fact.workspaceId}::uuid, ${fact.active}, ${fact.version}, ${fact.at})
      ON CONFLICT (id) DO UPDATE
        SET active = EXCLUDED.active, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
        WHERE "agents".version < EXCLUDED.version`;
  }

  /**
   * Records whether the agent is heartbeating, under the same rule: its status events share the
   * stream's versions with activation, so the newest of either wins.
   */
  async recordPresence(tx: Tx, fact: AgentPresence): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO "mission"."agents" (id, workspace_id, active, online, version, updated_at)
      VALUES (${fact.id}::uuid, ${fact.workspaceId}::uuid, false, ${fact.online}, ${fact.version}, ${fact.at})
      ON CONFLICT (id) DO UPDATE
        SET online = EXCLUDED.online, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
        WHERE "agents".version < EXCLUDED.version`;
  }

  /**
   * Records a sub-agent's parent, which never changes: whatever else was applied, the parent is
   * set (a redelivery sets the same one again).
   */
  async recordParent(
    tx: Tx,
    fact: { id: string; workspaceId: string; parentAgentId: string; version: number; at: Date },
  ): Promise<void> {
    await tx.$executeRaw`
      INSERT INTO "mission"."agents" (id, workspace_id, active, parent_agent_id, version, updated_at)
      VALUES (${fact.id}::uuid, ${fact.workspaceId}::uuid, false, ${fact.parentAgentId}::uuid,
        ${fact.version}, ${fact.at})
      ON CONFLICT (id) DO UPDATE SET parent_agent_id = EXCLUDED.parent_agent_id`;
  }

  /** The agent, only if it belongs to the workspace: another workspace's agent is not found. */
  async find(db: Tx | PrismaService, workspaceId: string, agentId: string) {
    return db.agent.findFirst({
      where: { id: agentId, workspaceId },
      select: { id: true, workspaceId: true, active: true },
    });
  }
}
