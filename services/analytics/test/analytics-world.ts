import { randomUUID } from 'node:crypto';
import { agentV1, missionV1 } from '@mission-control/proto';
import type { EventPublisher, PublishedRecord, SpecStreams } from './analytics-test-kit';

const { BoardColumn, Billing, LogStream, Priority, RunOutcome } = missionV1;

export type RunSeed = {
  missionId: string;
  agentId: string;
  /** The claim it works under (MissionClaimed.epoch). */
  claimEpoch: number;
  billing?: missionV1.Billing;
  at: Date;
};

export type UsageSeed = {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens?: number;
  costMicroUsd: number;
  unpriced?: boolean;
  at: Date;
};
const { AgentStatus } = agentV1;

export type MissionSeed = {
  title: string;
  description?: string;
  tags?: string[];
  column?: missionV1.BoardColumn;
  at: Date;
};

/** Writes one workspace's missions, comments and agents as their services would publish them. */
export class WorkspaceWorld {
  readonly workspaceId = randomUUID();
  private readonly columns = new Map<string, missionV1.BoardColumn>();

  constructor(
    private readonly publisher: EventPublisher,
    private readonly streams: SpecStreams,
  ) {}

  async mission(seed: MissionSeed): Promise<string> {
    const missionId = randomUUID();
    const column = seed.column ?? BoardColumn.BACKLOG;
    this.columns.set(missionId, column);
    await this.publisher.publish(this.streams.missionTopic, {
      streamId: `mission-${missionId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.MissionCreated',
      time: seed.at,
      data: {
        missionId,
        title: seed.title,
        description: seed.description ?? '',
        priority: Priority.MEDIUM,
        tags: seed.tags ?? [],
        createdBy: 'user-1',
        column,
        rank: 'a0',
        workspaceId: this.workspaceId,
      },
    });
    return missionId;
  }

  async move(missionId: string, to: missionV1.BoardColumn, at: Date): Promise<PublishedRecord> {
    const from = this.columns.get(missionId) ?? BoardColumn.BACKLOG;
    this.columns.set(missionId, to);
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `mission-${missionId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.MissionMoved',
      time: at,
      data: { missionId, fromColumn: from, toColumn: to, rank: 'a1' },
    });
  }

  assign(missionId: string, agentId: string, at: Date): Promise<PublishedRecord> {
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `mission-${missionId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.MissionAssigned',
      time: at,
      data: { missionId, agentId },
    });
  }

  update(
    missionId: string,
    details: { title: string; description: string; tags: string[] },
    at: Date,
  ): Promise<PublishedRecord> {
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `mission-${missionId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.MissionUpdated',
      time: at,
      data: { missionId, ...details, priority: Priority.HIGH },
    });
  }

  async comment(missionId: string, body: string, at: Date): Promise<string> {
    const commentId = randomUUID();
    await this.publisher.publish(this.streams.missionTopic, {
      streamId: `mission-${missionId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.CommentAdded',
      time: at,
      data: { missionId, commentId, author: 'user-2', body },
    });
    return commentId;
  }

  async agent(at: Date): Promise<string> {
    const agentId = randomUUID();
    await this.publisher.publish(this.streams.agentTopic, {
      streamId: `agent-${agentId}`,
      workspaceId: this.workspaceId,
      type: 'agent.v1.AgentRegistered',
      time: at,
      data: { agentId, name: `agent-${agentId.slice(0, 6)}`, configJson: '{}' },
    });
    return agentId;
  }

  /** A runtime host's samples ([time, cpu %, memory used bytes]), its stream versions from 1. */
  async hostSamples(hostId: string, samples: [Date, number, number][]): Promise<void> {
    for (const [at, cpuPercent, memoryUsedBytes] of samples) {
      await this.publisher.publish(this.streams.agentTopic, {
        streamId: `host-${hostId}`,
        workspaceId: this.workspaceId,
        type: 'agent.v1.HostSampled',
        time: at,
        data: {
          hostId,
          cpuPercent,
          memoryUsedBytes: BigInt(memoryUsedBytes),
          memoryTotalBytes: 17_179_869_184n,
          diskUsedBytes: 1_000n,
          diskTotalBytes: 4_000n,
        },
      });
    }
  }

  /** The status changes of an agent, in order, from inactive. */
  async statuses(agentId: string, timeline: [agentV1.AgentStatus, Date][]): Promise<void> {
    let from: agentV1.AgentStatus = AgentStatus.INACTIVE;
    for (const [to, at] of timeline) {
      await this.publisher.publish(this.streams.agentTopic, {
        streamId: `agent-${agentId}`,
        workspaceId: this.workspaceId,
        type: 'agent.v1.AgentStatusChanged',
        time: at,
        data: { agentId, fromStatus: from, toStatus: to },
      });
      from = to;
    }
  }

  claim(missionId: string, agentId: string, epoch: number, at: Date): Promise<PublishedRecord> {
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `mission-${missionId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.MissionClaimed',
      time: at,
      data: { missionId, agentId, epoch: BigInt(epoch), leaseSeconds: 300 },
    });
  }

  async startRun(seed: RunSeed): Promise<string> {
    const runId = randomUUID();
    await this.publisher.publish(this.streams.missionTopic, {
      streamId: `run-${runId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.RunStarted',
      time: seed.at,
      data: {
        runId,
        missionId: seed.missionId,
        agentId: seed.agentId,
        adapter: 'claude-code',
        model: 'claude-sonnet-4-5',
        provider: 'anthropic',
        billing: seed.billing ?? Billing.METERED,
        workspaceId: this.workspaceId,
        claimEpoch: BigInt(seed.claimEpoch),
      },
    });
    return runId;
  }

  /** Appends lines; `from` is the position of the first (the run's lines so far + 1). */
  log(runId: string, texts: string[], at: Date, from = 1): Promise<PublishedRecord> {
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `run-${runId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.RunLogAppended',
      time: at,
      data: {
        runId,
        lines: texts.map((text, index) => ({
          position: BigInt(from + index),
          stream: LogStream.STDOUT,
          text,
        })),
      },
    });
  }

  usage(runId: string, seed: UsageSeed): Promise<PublishedRecord> {
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `run-${runId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.RunUsageReported',
      time: seed.at,
      data: {
        runId,
        model: 'claude-sonnet-4-5',
        inputTokens: BigInt(seed.inputTokens),
        outputTokens: BigInt(seed.outputTokens),
        cachedInputTokens: BigInt(seed.cachedInputTokens ?? 0),
        costMicroUsd: BigInt(seed.costMicroUsd),
        costSource: seed.unpriced ? missionV1.CostSource.UNPRICED : missionV1.CostSource.CATALOG,
        priceCatalogVersion: seed.unpriced ? '' : '2026-11',
      },
    });
  }

  finish(runId: string, outcome: missionV1.RunOutcome, at: Date): Promise<PublishedRecord> {
    return this.publisher.publish(this.streams.missionTopic, {
      streamId: `run-${runId}`,
      workspaceId: this.workspaceId,
      type: 'mission.v1.RunFinished',
      time: at,
      data: { runId, outcome, summary: outcome === RunOutcome.SUCCEEDED ? 'done' : 'stopped' },
    });
  }
}
