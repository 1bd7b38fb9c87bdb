import { randomUUID } from 'node:crypto';
import { agentV1, missionV1 } from '@mission-control/proto';
import type { EventPublisher, PublishedRecord, SpecStreams } from './analytics-test-kit';

const { BoardColumn, Priority } = missionV1;
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
}
