import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { actorOf, assertAgentIn, assertWorkspace, type Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { AgentsRepository, type AgentRecord } from '../agents/agents.repository';
import { AgentsService } from '../agents/agents.service';
import { AggregateRunner, type Tx } from '../eventing/agent-event-store';
import {
  placeAgentOnHost,
  recordHostSample,
  removeHost,
  reportHost,
  type HostCommand,
  type HostKind,
} from './host.commands';
import { hostDecider, hostStreamId } from './host.decider';
import { HostProjection } from './host.projection';
import { HostSampleLimiterRepository } from './host-sample-limiter.repository';
import { decodeHostCursor, encodeHostCursor, MAX_HOSTS_PAGE } from './hosts-page';
import { HostsRepository, hostStateOf, type HostRecord } from './hosts.repository';
import { HOST_SETTINGS, type HostSettings } from './host.settings';

export type ReportHostInput = {
  hostKey: string;
  hostname: string;
  kind: HostKind;
  os?: string | null;
  arch?: string | null;
  cpuCount: number;
  memoryBytes: number;
  runnerVersion?: string | null;
  containerStatus?: string | null;
};

export type HostSampleInput = {
  cpuPercent: number;
  memoryUsedBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
  containerStatus?: string | null;
};

export type HostPage = {
  nodes: HostRecord[];
  endCursor: string | null;
  hasNextPage: boolean;
  totalCount: number;
};

const REPORT_REFUSAL = 'Only an agent reports the host it runs on; use the agent’s token';

/**
 * Runtime hosts: runners report their host and its samples through their agents' tokens; people
 * list, read and remove hosts. Access checks here, rules in the host decider.
 */
@Injectable()
export class HostsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly hosts: HostsRepository,
    private readonly projection: HostProjection,
    private readonly limiter: HostSampleLimiterRepository,
    private readonly agentRecords: AgentsRepository,
    private readonly agents: AgentsService,
    @Inject(HOST_SETTINGS) private readonly settings: HostSettings,
  ) {}

  /**
   * Registers the calling agent's host, or records what changed of it, and places the agent on it
   * (off the host it was on before, if any).
   */
  async report(
    principal: Principal,
    workspaceId: string,
    input: ReportHostInput,
  ): Promise<HostRecord> {
    assertAgentIn(principal, workspaceId, REPORT_REFUSAL);
    const agentId = principal.subject;
    const actor = actorOf(principal);
    const data = {
      hostKey: input.hostKey,
      hostname: input.hostname,
      kind: input.kind,
      os: input.os ?? '',
      arch: input.arch ?? '',
      cpuCount: input.cpuCount,
      memoryBytes: input.memoryBytes,
      runnerVersion: input.runnerVersion ?? '',
      ...(input.containerStatus === null || input.containerStatus === undefined
        ? {}
        : { containerStatus: input.containerStatus }),
    };
    // Validated before any work: a bad report costs no transaction.
    const checked = reportHost({ workspaceId, actor, data: { ...data, hostId: randomUUID() } });
    await this.agents.found(workspaceId, agentId);
    const hostId = await this.runner.transaction(async (tx) => {
      const existing = await this.hosts.lockByKey(
        tx,
        workspaceId,
        checked.data.hostKey,
        this.settings.offlineAfterSeconds,
      );
      const id = existing?.id ?? checked.data.hostId;
      const currentHostId = await this.hosts.lockPlacement(tx, agentId);
      await this.runOn(tx, id, existing, [
        reportHost({ workspaceId, actor, data: { ...data, hostId: id } }),
        placeAgentOnHost({ workspaceId, actor, data: { hostId: id, agentId, currentHostId } }),
      ]);
      return id;
    });
    return this.found(workspaceId, hostId);
  }

  /** One sample of the host's usage, from an agent on it; rate limited per host. */
  async sample(
    principal: Principal,
    workspaceId: string,
    hostId: string,
    input: HostSampleInput,
  ): Promise<HostRecord> {
    assertAgentIn(principal, workspaceId, REPORT_REFUSAL);
    const command = recordHostSample({
      workspaceId,
      actor: actorOf(principal),
      data: {
        hostId,
        cpuPercent: input.cpuPercent,
        memoryUsedBytes: input.memoryUsedBytes,
        diskUsedBytes: input.diskUsedBytes,
        diskTotalBytes: input.diskTotalBytes,
        ...(input.containerStatus === null || input.containerStatus === undefined
          ? {}
          : { containerStatus: input.containerStatus }),
      },
    });
    const { count, retryAfterSeconds } = await this.limiter.consume(hostId);
    if (count > this.settings.samplesPerMinute) {
      throw AppError.limitExceeded('Too many host samples; slow down', {
        retryAfterSeconds,
        limitPerMinute: this.settings.samplesPerMinute,
      });
    }
    await this.runner.transaction(async (tx) => {
      const host = await this.lockedHost(tx, workspaceId, hostId);
      const placed = await this.hosts.lockPlacement(tx, principal.subject);
      if (placed !== hostId) {
        throw AppError.forbidden(
          'Only an agent on this host samples it; report the host (reportHost) first',
        );
      }
      await this.runOn(tx, hostId, host, [command]);
    });
    return this.found(workspaceId, hostId);
  }

  /** Removes the host; its agents are on no host until their runner reports again. */
  async remove(principal: Principal, workspaceId: string, hostId: string): Promise<HostRecord> {
    this.agents.assertManager(principal, workspaceId);
    return this.runner.transaction(async (tx) => {
      const host = await this.lockedHost(tx, workspaceId, hostId);
      await this.runOn(tx, hostId, host, [
        removeHost({ workspaceId, actor: actorOf(principal), data: { hostId } }),
      ]);
      return { ...host, online: false };
    });
  }

  async page(
    principal: Principal,
    workspaceId: string,
    first: number,
    after: string | null,
  ): Promise<HostPage> {
    assertWorkspace(principal, workspaceId);
    // Checked after access, so another workspace learns nothing from what it sends.
    if (!Number.isInteger(first) || first < 1 || first > MAX_HOSTS_PAGE) {
      throw AppError.validation(`first must be from 1 to ${MAX_HOSTS_PAGE}`, {
        fields: [{ path: 'first', message: `must be from 1 to ${MAX_HOSTS_PAGE}` }],
      });
    }
    const cursor = after === null ? null : decodeHostCursor(after);
    const page = await this.hosts.page(
      workspaceId,
      first,
      cursor,
      this.settings.offlineAfterSeconds,
    );
    const last = page.nodes[page.nodes.length - 1];
    return {
      nodes: page.nodes,
      endCursor: last ? encodeHostCursor(last) : null,
      hasNextPage: page.hasNextPage,
      totalCount: page.totalCount,
    };
  }

  async get(principal: Principal, workspaceId: string, hostId: string): Promise<HostRecord> {
    assertWorkspace(principal, workspaceId);
    return this.found(workspaceId, hostId);
  }

  /** The host the agent runs on, as the agent's reader sees it. */
  async ofAgent(
    principal: Principal,
    agent: { id: string; workspaceId: string },
  ): Promise<HostRecord | null> {
    assertWorkspace(principal, agent.workspaceId);
    return this.hosts.ofAgent(agent.workspaceId, agent.id, this.settings.offlineAfterSeconds);
  }

  /** The agents on the host, by name. */
  async agentsOn(
    principal: Principal,
    host: { id: string; workspaceId: string },
  ): Promise<AgentRecord[]> {
    assertWorkspace(principal, host.workspaceId);
    return this.agentRecords.listOnHost(host.workspaceId, host.id);
  }

  private async found(workspaceId: string, hostId: string): Promise<HostRecord> {
    const host = await this.hosts.find(workspaceId, hostId, this.settings.offlineAfterSeconds);
    if (!host) {
      throw AppError.notFound('Host');
    }
    return host;
  }

  private async lockedHost(tx: Tx, workspaceId: string, hostId: string): Promise<HostRecord> {
    const host = await this.hosts.lock(tx, workspaceId, hostId, this.settings.offlineAfterSeconds);
    if (!host) {
      throw AppError.notFound('Host');
    }
    return host;
  }

  /** Decides from the host's row (its stream is never read again) and projects on `tx`. */
  private async runOn(
    tx: Tx,
    hostId: string,
    host: HostRecord | null,
    commands: readonly HostCommand[],
  ): Promise<void> {
    const decided = await this.runner.executeAllFrom(
      tx,
      hostDecider,
      hostStreamId(hostId),
      commands,
      host === null
        ? { state: hostDecider.initialState, version: 0 }
        : { state: hostStateOf(host), version: host.version },
    );
    await this.projection.apply(tx, decided.events, decided.stored);
  }
}
