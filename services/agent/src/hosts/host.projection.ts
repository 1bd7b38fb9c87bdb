import { Injectable } from '@nestjs/common';
import { assertNever, type StoredEvent } from '@mission-control/eventing';
import type { Tx } from '../eventing/agent-event-store';
import { fromProtoKind, type HostEvent } from './host.decider';
import { HostsRepository } from './hosts.repository';

const descriptionOf = (data: {
  hostname: string;
  kind: Parameters<typeof fromProtoKind>[0];
  os: string;
  arch: string;
  cpuCount: number;
  memoryBytes: bigint;
  runnerVersion: string;
}) => ({
  hostname: data.hostname,
  kind: fromProtoKind(data.kind),
  os: data.os,
  arch: data.arch,
  cpuCount: data.cpuCount,
  memoryBytes: Number(data.memoryBytes),
  runnerVersion: data.runnerVersion,
});

/** Keeps the hosts and agent_hosts tables in step with the host streams, on the append's transaction. */
@Injectable()
export class HostProjection {
  constructor(private readonly hosts: HostsRepository) {}

  /** `events[i]` was stored as `stored[i]`. */
  async apply(tx: Tx, events: readonly HostEvent[], stored: readonly StoredEvent[]): Promise<void> {
    for (const [index, event] of events.entries()) {
      const record = stored[index];
      if (!record) {
        throw new Error('Every projected event needs its stored record');
      }
      await this.applyOne(tx, event, record);
    }
  }

  private async applyOne(tx: Tx, event: HostEvent, stored: StoredEvent): Promise<void> {
    const { version, recordedAt: at } = stored;
    const id = event.data.hostId;
    switch (event.type) {
      case 'agent.v1.HostRegistered':
        return this.hosts.applyRegistered(tx, {
          id,
          workspaceId: stored.metadata.workspaceId,
          hostKey: event.data.hostKey,
          description: descriptionOf(event.data),
          containerStatus: event.data.containerStatus,
          version,
          at,
        });
      case 'agent.v1.HostUpdated':
        return this.hosts.applyUpdated(
          tx,
          id,
          descriptionOf(event.data),
          event.data.containerStatus,
          version,
          at,
        );
      case 'agent.v1.AgentPlacedOnHost':
        await this.hosts.touch(tx, id, version, at);
        return this.hosts.applyPlaced(tx, {
          agentId: event.data.agentId,
          hostId: id,
          workspaceId: stored.metadata.workspaceId,
          at,
        });
      case 'agent.v1.HostSampled':
        return this.hosts.applySampled(
          tx,
          id,
          {
            at,
            cpuPercent: event.data.cpuPercent,
            memoryUsedBytes: Number(event.data.memoryUsedBytes),
            diskUsedBytes: Number(event.data.diskUsedBytes),
            diskTotalBytes: Number(event.data.diskTotalBytes),
            containerStatus: event.data.containerStatus,
          },
          version,
        );
      case 'agent.v1.HostRemoved':
        return this.hosts.applyRemoved(tx, id);
      default:
        return assertNever(event, 'event');
    }
  }
}
