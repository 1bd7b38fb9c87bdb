import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Tx } from '../eventing/agent-event-store';
import type { HostDescription, HostKind } from './host.commands';
import type { HostState } from './host.decider';

export type HostSample = {
  at: Date;
  cpuPercent: number;
  memoryUsedBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
};

export type HostRecord = HostDescription & {
  id: string;
  workspaceId: string;
  hostKey: string;
  containerStatus: string | null;
  /** The latest sample; null before the first. */
  lastSample: HostSample | null;
  /** Whether a sample came within the offline threshold, by the database's clock. */
  online: boolean;
  version: number;
  createdAt: Date;
  updatedAt: Date;
};

type HostRow = {
  id: string;
  workspace_id: string;
  host_key: string;
  hostname: string;
  kind: string;
  os: string;
  arch: string;
  cpu_count: number;
  memory_bytes: bigint;
  runner_version: string;
  container_status: string | null;
  last_sample_at: Date | null;
  cpu_percent: number | null;
  memory_used_bytes: bigint | null;
  disk_used_bytes: bigint | null;
  disk_total_bytes: bigint | null;
  online: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
};

const COLUMNS = `id::text, workspace_id::text, host_key, hostname, kind, os, arch, cpu_count,
  memory_bytes, runner_version, container_status, last_sample_at, cpu_percent, memory_used_bytes,
  disk_used_bytes, disk_total_bytes, version, created_at, updated_at,
  coalesce(last_sample_at > now() - make_interval(secs => $1::double precision), false) AS online`;

const kindOf = (kind: string): HostKind => (kind === 'container' ? 'container' : 'server');

const recordOf = (row: HostRow): HostRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  hostKey: row.host_key,
  hostname: row.hostname,
  kind: kindOf(row.kind),
  os: row.os,
  arch: row.arch,
  cpuCount: row.cpu_count,
  memoryBytes: Number(row.memory_bytes),
  runnerVersion: row.runner_version,
  containerStatus: row.container_status,
  lastSample:
    row.last_sample_at === null
      ? null
      : {
          at: row.last_sample_at,
          cpuPercent: row.cpu_percent ?? 0,
          memoryUsedBytes: Number(row.memory_used_bytes ?? 0),
          diskUsedBytes: Number(row.disk_used_bytes ?? 0),
          diskTotalBytes: Number(row.disk_total_bytes ?? 0),
        },
  online: row.online,
  version: row.version,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** The decider's state of a host, from its row (a host stream is never read again). */
export const hostStateOf = (host: HostRecord): HostState => ({
  status: 'registered',
  hostKey: host.hostKey,
  description: {
    hostname: host.hostname,
    kind: host.kind,
    os: host.os,
    arch: host.arch,
    cpuCount: host.cpuCount,
    memoryBytes: host.memoryBytes,
    runnerVersion: host.runnerVersion,
  },
  containerStatus: host.containerStatus ?? '',
});

export type HostPageCursor = { hostname: string; id: string };

/**
 * The hosts read table and where each agent runs. Writes from events carry the host stream's
 * version and change a row only when it is older, so replaying events is a no-op.
 */
@Injectable()
export class HostsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * The workspace's host of that key, locked; reports of one key are serialised first, so two
   * agents of a new host register it once.
   */
  async lockByKey(
    tx: Tx,
    workspaceId: string,
    hostKey: string,
    offlineAfterSeconds: number,
  ): Promise<HostRecord | null> {
    await tx.$executeRawUnsafe(
      `SELECT pg_advisory_xact_lock(hashtextextended('host:' || $1 || ':' || $2, 0))`,
      workspaceId,
      hostKey,
    );
    const rows = await tx.$queryRawUnsafe<HostRow[]>(
      `SELECT ${COLUMNS} FROM hosts WHERE workspace_id = $2::uuid AND host_key = $3 FOR UPDATE`,
      offlineAfterSeconds,
      workspaceId,
      hostKey,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** The workspace's host, locked until the transaction ends; null when it has none of that id. */
  async lock(
    tx: Tx,
    workspaceId: string,
    id: string,
    offlineAfterSeconds: number,
  ): Promise<HostRecord | null> {
    const rows = await tx.$queryRawUnsafe<HostRow[]>(
      `SELECT ${COLUMNS} FROM hosts WHERE id = $2::uuid AND workspace_id = $3::uuid FOR UPDATE`,
      offlineAfterSeconds,
      id,
      workspaceId,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  async find(
    workspaceId: string,
    id: string,
    offlineAfterSeconds: number,
  ): Promise<HostRecord | null> {
    const rows = await this.prisma.$queryRawUnsafe<HostRow[]>(
      `SELECT ${COLUMNS} FROM hosts WHERE id = $2::uuid AND workspace_id = $3::uuid`,
      offlineAfterSeconds,
      id,
      workspaceId,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** The host the agent is on, or null. */
  async ofAgent(
    workspaceId: string,
    agentId: string,
    offlineAfterSeconds: number,
  ): Promise<HostRecord | null> {
    const rows = await this.prisma.$queryRawUnsafe<HostRow[]>(
      `SELECT ${COLUMNS} FROM hosts
       WHERE workspace_id = $3::uuid
         AND id = (SELECT host_id FROM agent_hosts WHERE agent_id = $2::uuid)`,
      offlineAfterSeconds,
      agentId,
      workspaceId,
    );
    return rows[0] ? recordOf(rows[0]) : null;
  }

  /** One page of the workspace's hosts by hostname, then id, after `after`. */
  async page(
    workspaceId: string,
    first: number,
    after: HostPageCursor | null,
    offlineAfterSeconds: number,
  ): Promise<{ nodes: HostRecord[]; hasNextPage: boolean; totalCount: number }> {
    const [rows, total] = await Promise.all([
      this.prisma.$queryRawUnsafe<HostRow[]>(
        `SELECT ${COLUMNS} FROM hosts
         WHERE workspace_id = $2::uuid
           AND ($3::text IS NULL OR (hostname, id) > ($3::text, $4::uuid))
         ORDER BY hostname, id
         LIMIT $5`,
        offlineAfterSeconds,
        workspaceId,
        after?.hostname ?? null,
        after?.id ?? null,
        first + 1,
      ),
      this.prisma.host.count({ where: { workspaceId } }),
    ]);
    return {
      nodes: rows.slice(0, first).map(recordOf),
      hasNextPage: rows.length > first,
      totalCount: total,
    };
  }

  /** The host each agent is on, the rows locked: one placement of an agent at a time. */
  async lockPlacement(tx: Tx, agentId: string): Promise<string | null> {
    const rows = await tx.$queryRawUnsafe<{ host_id: string }[]>(
      `SELECT host_id::text FROM agent_hosts WHERE agent_id = $1::uuid FOR UPDATE`,
      agentId,
    );
    return rows[0]?.host_id ?? null;
  }

  async applyRegistered(
    tx: Tx,
    host: {
      id: string;
      workspaceId: string;
      hostKey: string;
      description: HostDescription;
      containerStatus: string;
      version: number;
      at: Date;
    },
  ): Promise<void> {
    const { description: d } = host;
    await tx.host.createMany({
      data: [
        {
          id: host.id,
          workspaceId: host.workspaceId,
          hostKey: host.hostKey,
          hostname: d.hostname,
          kind: d.kind,
          os: d.os,
          arch: d.arch,
          cpuCount: d.cpuCount,
          memoryBytes: BigInt(d.memoryBytes),
          runnerVersion: d.runnerVersion,
          containerStatus: host.containerStatus === '' ? null : host.containerStatus,
          version: host.version,
          createdAt: host.at,
          updatedAt: host.at,
        },
      ],
      skipDuplicates: true,
    });
  }

  async applyUpdated(
    tx: Tx,
    id: string,
    description: HostDescription,
    containerStatus: string,
    version: number,
    at: Date,
  ): Promise<void> {
    await tx.host.updateMany({
      where: { id, version: { lt: version } },
      data: {
        ...description,
        memoryBytes: BigInt(description.memoryBytes),
        containerStatus: containerStatus === '' ? null : containerStatus,
        version,
        updatedAt: at,
      },
    });
  }

  async applySampled(
    tx: Tx,
    id: string,
    sample: HostSample & { containerStatus: string },
    version: number,
  ): Promise<void> {
    await tx.host.updateMany({
      where: { id, version: { lt: version } },
      data: {
        lastSampleAt: sample.at,
        cpuPercent: sample.cpuPercent,
        memoryUsedBytes: BigInt(sample.memoryUsedBytes),
        diskUsedBytes: BigInt(sample.diskUsedBytes),
        diskTotalBytes: BigInt(sample.diskTotalBytes),
        ...(sample.containerStatus === '' ? {} : { containerStatus: sample.containerStatus }),
        version,
      },
    });
  }

  /** The host stream moved on without a change to the row (a placement). */
  async touch(tx: Tx, id: string, version: number, at: Date): Promise<void> {
    await tx.host.updateMany({
      where: { id, version: { lt: version } },
      data: { version, updatedAt: at },
    });
  }

  async applyPlaced(
    tx: Tx,
    placement: { agentId: string; hostId: string; workspaceId: string; at: Date },
  ): Promise<void> {
    await tx.agentHost.upsert({
      where: { agentId: placement.agentId },
      create: {
        agentId: placement.agentId,
        hostId: placement.hostId,
        workspaceId: placement.workspaceId,
        placedAt: placement.at,
      },
      update: { hostId: placement.hostId, placedAt: placement.at },
    });
  }

  /** A removed host's row goes, and its agents are on no host. */
  async applyRemoved(tx: Tx, id: string): Promise<void> {
    await tx.agentHost.deleteMany({ where: { hostId: id } });
    await tx.host.deleteMany({ where: { id } });
  }
}
