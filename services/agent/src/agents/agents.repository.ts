import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/agent-event-store';
import type { Prisma } from '../generated/prisma/client';
import { isAgentStatus, PRESENT_STATUSES, type AgentStatus } from './agent-status';
import type { AgentProfile } from './agent.decider';

export type AgentRecord = {
  id: string;
  workspaceId: string;
  name: string;
  role: string;
  capabilities: string[];
  /** JSON object text. */
  config: string;
  model: string;
  provider: string;
  status: AgentStatus;
  activity: string | null;
  lastHeartbeatAt: Date | null;
  /** A sub-agent's parent (PRODUCT A4); null for an agent a person registered. */
  parentAgentId: string | null;
  /** When a sub-agent's time to live ends. */
  expiresAt: Date | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

type AgentRow = Prisma.AgentGetPayload<object>;

const recordOf = (row: AgentRow): AgentRecord => {
  if (!isAgentStatus(row.status)) {
    throw new Error(`Unknown agent status in the read model: ${row.status}`);
  }
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    name: row.name,
    role: row.role,
    capabilities: row.capabilities,
    config: JSON.stringify(row.config),
    model: row.model,
    provider: row.provider,
    status: row.status,
    activity: row.activity,
    lastHeartbeatAt: row.lastHeartbeatAt,
    parentAgentId: row.parentAgentId,
    expiresAt: row.expiresAt,
    version: row.version,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
};

const profileData = (profile: AgentProfile) => ({
  name: profile.name,
  role: profile.role,
  capabilities: [...profile.capabilities],
  config: JSON.parse(profile.configJson) as Prisma.InputJsonObject,
  model: profile.model,
  provider: profile.provider,
});

/**
 * The agents read table. Writes from events carry the stream version they apply and change a row
 * only when it is older, so replaying events is a no-op.
 */
@Injectable()
export class AgentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async insert(
    tx: Tx,
    agent: { id: string; workspaceId: string; profile: AgentProfile; version: number; at: Date },
  ): Promise<void> {
    await tx.agent.createMany({
      data: [
        {
          id: agent.id,
          workspaceId: agent.workspaceId,
          ...profileData(agent.profile),
          status: 'inactive',
          version: agent.version,
          createdAt: agent.at,
          updatedAt: agent.at,
        },
      ],
      skipDuplicates: true,
    });
  }

  private async updateAt(
    tx: Tx,
    id: string,
    version: number,
    at: Date,
    data: Prisma.AgentUpdateManyMutationInput,
  ): Promise<void> {
    await tx.agent.updateMany({
      where: { id, version: { lt: version } },
      data: { ...data, version, updatedAt: at },
    });
  }

  updateProfile(tx: Tx, id: string, profile: AgentProfile, version: number, at: Date) {
    return this.updateAt(tx, id, version, at, profileData(profile));
  }

  markSubAgent(
    tx: Tx,
    id: string,
    sub: { parentAgentId: string; expiresAt: Date },
    version: number,
    at: Date,
  ) {
    return this.updateAt(tx, id, version, at, sub);
  }

  markActivated(tx: Tx, id: string, version: number, at: Date) {
    return this.updateAt(tx, id, version, at, { activatedAt: at });
  }

  touch(tx: Tx, id: string, version: number, at: Date) {
    return this.updateAt(tx, id, version, at, {});
  }

  setStatus(
    tx: Tx,
    id: string,
    status: AgentStatus,
    activity: string | null,
    version: number,
    at: Date,
  ) {
    return this.updateAt(tx, id, version, at, { status, activity });
  }

  /**
   * The agent's current status, its row locked until the transaction ends: a heartbeat and the
   * presence sweeper never decide on the same agent at once.
   */
  async lockStatus(tx: Tx, workspaceId: string, id: string): Promise<AgentStatus | null> {
    const rows = await tx.$queryRawUnsafe<{ status: string }[]>(
      `SELECT status FROM agents WHERE id = $1::uuid AND workspace_id = $2::uuid FOR UPDATE`,
      id,
      workspaceId,
    );
    const status = rows[0]?.status;
    return status !== undefined && isAgentStatus(status) ? status : null;
  }

  /**
   * The heartbeat of an agent whose status it does not change, in one statement: records it and
   * answers the agent, or null when the agent is not in `status` (a change, which is an event, or
   * no such agent). A concurrent status change holds the row: this waits, then finds no match.
   */
  async recordSteadyHeartbeat(
    workspaceId: string,
    id: string,
    status: AgentStatus,
    activity: string,
  ): Promise<AgentRecord | null> {
    const rows = await this.prisma.$queryRawUnsafe<AgentRow[]>(
      `UPDATE agents SET last_heartbeat_at = now(), activity = $4, updated_at = now()
       WHERE id = $1::uuid AND workspace_id = $2::uuid AND status = $3
       RETURNING id::text, workspace_id::text AS "workspaceId", name, role, capabilities, config,
         model, provider, status, activity, last_heartbeat_at AS "lastHeartbeatAt",
         activated_at AS "activatedAt", parent_agent_id::text AS "parentAgentId",
         expires_at AS "expiresAt", version, created_at AS "createdAt", updated_at AS "updatedAt"`,
      id,
      workspaceId,
      status,
      activity === '' ? null : activity,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** A heartbeat is state, not an event: when it came and what the agent said it was doing. */
  async recordHeartbeat(tx: Tx, id: string, activity: string): Promise<void> {
    await tx.$executeRawUnsafe(
      `UPDATE agents SET last_heartbeat_at = now(), activity = $2, updated_at = now()
       WHERE id = $1::uuid`,
      id,
      activity === '' ? null : activity,
    );
  }

  /**
   * Agents in service whose last sign of life (heartbeat, or activation before the first one) is
   * older than the threshold, locked; rows another replica holds are skipped, not waited for.
   */
  async lockSilent(
    tx: Tx,
    offlineAfterSeconds: number,
    limit: number,
  ): Promise<{ id: string; workspaceId: string }[]> {
    return tx.$queryRawUnsafe<{ id: string; workspaceId: string }[]>(
      `SELECT id::text AS id, workspace_id::text AS "workspaceId" FROM agents
       WHERE status = ANY($1::text[])
         AND greatest(last_heartbeat_at, activated_at) < now() - make_interval(secs => $2::double precision)
       ORDER BY id
       LIMIT $3
       FOR UPDATE SKIP LOCKED`,
      [...PRESENT_STATUSES],
      offlineAfterSeconds,
      limit,
    );
  }

  /**
   * A would-be parent's status and whether it is a sub-agent itself, its row locked until the
   * transaction ends: two spawns by one parent count its children one after the other.
   */
  async lockParent(
    tx: Tx,
    workspaceId: string,
    id: string,
  ): Promise<{ status: AgentStatus; parentAgentId: string | null } | null> {
    const rows = await tx.$queryRawUnsafe<{ status: string; parentAgentId: string | null }[]>(
      `SELECT status, parent_agent_id::text AS "parentAgentId" FROM agents
       WHERE id = $1::uuid AND workspace_id = $2::uuid FOR UPDATE`,
      id,
      workspaceId,
    );
    const row = rows[0];
    return row && isAgentStatus(row.status)
      ? { status: row.status, parentAgentId: row.parentAgentId }
      : null;
  }

  /** The parent's children still in service. */
  countLiveChildren(tx: Tx, parentAgentId: string): Promise<number> {
    return tx.agent.count({ where: { parentAgentId, status: { not: 'inactive' } } });
  }

  /**
   * Children still in service whose time is up or whose parent stopped (inactive or offline),
   * locked; rows another replica holds are skipped, not waited for.
   */
  async lockEndable(
    tx: Tx,
    limit: number,
  ): Promise<{ id: string; workspaceId: string; expired: boolean }[]> {
    return tx.$queryRawUnsafe<{ id: string; workspaceId: string; expired: boolean }[]>(
      `SELECT child.id::text AS id, child.workspace_id::text AS "workspaceId",
         child.expires_at <= now() AS expired
       FROM agents child JOIN agents parent ON parent.id = child.parent_agent_id
       WHERE child.parent_agent_id IS NOT NULL AND child.status <> 'inactive'
         AND (child.expires_at <= now() OR parent.status IN ('inactive', 'offline'))
       ORDER BY child.id
       LIMIT $1
       FOR UPDATE OF child SKIP LOCKED`,
      limit,
    );
  }

  /** The parent's children still in service, locked (waited for: the parent is stopping). */
  async lockLiveChildren(tx: Tx, parentAgentId: string): Promise<string[]> {
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text AS id FROM agents
       WHERE parent_agent_id = $1::uuid AND status <> 'inactive'
       ORDER BY id FOR UPDATE`,
      parentAgentId,
    );
    return rows.map((row) => row.id);
  }

  /** The agent's sub-agents, newest first. */
  async listChildren(workspaceId: string, parentAgentId: string): Promise<AgentRecord[]> {
    const rows = await this.prisma.agent.findMany({
      where: { workspaceId, parentAgentId },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map(recordOf);
  }

  async list(workspaceId: string): Promise<AgentRecord[]> {
    const rows = await this.prisma.agent.findMany({
      where: { workspaceId },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    return rows.map(recordOf);
  }

  /** The agents on a runtime host, by name. */
  async listOnHost(workspaceId: string, hostId: string): Promise<AgentRecord[]> {
    const placed = await this.prisma.agentHost.findMany({
      where: { workspaceId, hostId },
      select: { agentId: true },
    });
    if (placed.length === 0) {
      return [];
    }
    const rows = await this.prisma.agent.findMany({
      where: { workspaceId, id: { in: placed.map((row) => row.agentId) } },
      orderBy: [{ name: 'asc' }, { id: 'asc' }],
    });
    return rows.map(recordOf);
  }

  async find(workspaceId: string, id: string): Promise<AgentRecord | null> {
    const row = await this.prisma.agent.findFirst({ where: { id, workspaceId } });
    return row ? recordOf(row) : null;
  }
}
