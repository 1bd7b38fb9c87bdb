import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  assertPermission,
  assertWorkspace,
  can,
  type Principal,
  assertAgentIn,
} from '@mission-control/auth';
import { AppError, ErrorCode } from '@mission-control/errors';
import { envelopeOf, isId, prismaQueryable, type StoredEvent } from '@mission-control/eventing';
import { readEvent, type Actor } from '@mission-control/proto';
import { actorOf } from '@mission-control/auth';
import { AgentRosterRepository } from '../agents/agent-roster.repository';
import { LEASE_SETTINGS, type LeaseSettings } from '../leases/lease-settings';
import { PrismaService } from '../database/prisma.service';
import { AggregateRunner, missionEventStore, type Tx } from '../eventing/mission-event-store';
import { batchOf } from '../agent-work/request-batch';
import { fromProtoColumn, type Column, type Priority } from './board';
import {
  addComment,
  addMissionDependency,
  assignMission,
  claimMission,
  createMission,
  moveMission,
  noteMissionReady,
  removeMissionDependency,
  updateMission,
  type MissionCommand,
} from './mission.commands';
import { missionDecider, missionStreamId, type MissionEvent } from './mission.decider';
import {
  createdMission,
  MissionProjection,
  missionStateOf,
  projectedRow,
} from './mission.projection';
import { timelineData, type JsonObject } from './mission-timeline';
import { MissionsRepository, type CommentRecord, type MissionRecord } from './missions.repository';

export type MissionDetails = {
  title: string;
  description?: string | null;
  priority?: Priority | null;
  tags?: string[] | null;
};

export type TimelineEntry = {
  version: number;
  type: string;
  occurredAt: Date;
  actorKind: string;
  actorId: string;
  data: JsonObject;
};

/** Neighbours named by the client: the card to go after and/or the card to go before. */
export type Neighbours = { afterId?: string | null; beforeId?: string | null };

/** Missions on the board: access checks, then the mission aggregate. */
@Injectable()
export class MissionsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly missions: MissionsRepository,
    private readonly projection: MissionProjection,
    private readonly prisma: PrismaService,
    private readonly roster: AgentRosterRepository,
    @Inject(LEASE_SETTINGS) private readonly leases: LeaseSettings,
  ) {}

  async create(
    principal: Principal,
    workspaceId: string,
    input: MissionDetails & { column?: Column | null },
  ): Promise<MissionRecord> {
    this.assertCommander(principal, workspaceId);
    const missionId = randomUUID();
    const column = input.column ?? 'backlog';
    return this.runner.transaction(async (tx) => {
      // Two statements: one that took the lock itself would read with a snapshot from before it.
      await this.missions.lockColumn(tx, workspaceId, column);
      const last = await this.missions.neighbourRank(tx, workspaceId, column, 'before', null, null);
      const command = createMission({
        workspaceId,
        actor: actorOf(principal),
        data: {
          missionId,
          title: input.title,
          description: input.description ?? undefined,
          priority: input.priority ?? undefined,
          tags: input.tags ?? undefined,
          column,
          placement: { after: last, before: null },
        },
      });
      const { events, stored } = await this.execute(tx, command, { newStream: true });
      const [created] = events;
      if (created?.type !== 'mission.v1.MissionCreated' || !stored[0]) {
        throw new Error('Creating a mission records MissionCreated first');
      }
      // What the projection wrote, answered without reading it back.
      return createdMission(created, stored[0]);
    });
  }

  async update(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    input: Partial<MissionDetails>,
  ): Promise<MissionRecord> {
    this.assertCommander(principal, workspaceId);
    await this.run(
      updateMission({
        workspaceId,
        actor: actorOf(principal),
        data: {
          missionId,
          title: input.title ?? undefined,
          description: input.description ?? undefined,
          priority: input.priority ?? undefined,
          tags: input.tags ?? undefined,
        },
      }),
    );
    return this.found(workspaceId, missionId);
  }

  async move(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    column: Column,
    neighbours: Neighbours,
  ): Promise<MissionRecord> {
    const authority = this.authorityOf(principal, workspaceId);
    const { afterId, beforeId } = neighbours;
    if (afterId === missionId || beforeId === missionId) {
      throw AppError.validation('A mission cannot be placed next to itself');
    }
    await this.runner.transaction(async (tx) => {
      // Locked before the neighbours are read, so they are still neighbours when we commit.
      await this.missions.lockColumn(tx, workspaceId, column);
      if (column === 'done') {
        // Readiness is decided against the edges as they are: none added or removed meanwhile.
        await this.missions.lockDependencies(tx, workspaceId);
      }
      const placement = await this.placementOf(tx, workspaceId, column, missionId, neighbours);
      const actor = actorOf(principal);
      const { events } = await this.execute(
        tx,
        moveMission({ workspaceId, actor, data: { missionId, column, placement, authority } }),
      );
      const moved = events.find((event) => event.type === 'mission.v1.MissionMoved');
      if (moved && column === 'done' && fromProtoColumn(moved.data.fromColumn) !== 'done') {
        for (const dependantId of await this.missions.readyDependants(tx, workspaceId, missionId)) {
          await this.execute(
            tx,
            noteMissionReady({ workspaceId, actor, data: { missionId: dependantId } }),
          );
        }
      }
    });
    return this.found(workspaceId, missionId);
  }

  async assign(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    agentId: string | null,
  ): Promise<MissionRecord> {
    this.assertCommander(principal, workspaceId);
    if (agentId !== null) {
      // A mission the workspace does not have is NOT_FOUND, whoever it names.
      await this.found(workspaceId, missionId);
      await this.assertAssignable(workspaceId, agentId);
    }
    await this.run(
      assignMission({ workspaceId, actor: actorOf(principal), data: { missionId, agentId } }),
    );
    return this.found(workspaceId, missionId);
  }

  async claim(
    principal: Principal,
    workspaceId: string,
    missionId: string,
  ): Promise<MissionRecord> {
    assertAgentIn(principal, workspaceId, 'Only an agent can claim a mission');
    await this.runner.transaction(async (tx) => {
      const blockedBy = isId(missionId)
        ? await this.missions.unfinishedBlockers(tx, workspaceId, missionId)
        : [];
      await this.execute(
        tx,
        claimMission({
          workspaceId,
          actor: actorOf(principal),
          data: { missionId, leaseSeconds: this.leases.leaseSeconds, blockedBy },
        }),
      );
    });
    return this.found(workspaceId, missionId);
  }

  /**
   * `missionId` waits for `blockerId` from now on (PRODUCT M4): it is not offered by dispatch nor
   * claimed until the blocker is done. A blocker not in the workspace answers as a missing one.
   */
  async addDependency(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    blockerId: string,
  ): Promise<MissionRecord> {
    this.assertCommander(principal, workspaceId);
    await this.runner.transaction(async (tx) => {
      await this.missions.lockDependencies(tx, workspaceId);
      let cycle: string[] | null = null;
      if (blockerId !== missionId) {
        if (!(await this.missions.find(workspaceId, blockerId, tx))) {
          throw AppError.notFound('Mission');
        }
        const path = await this.missions.pathOfWaits(tx, workspaceId, blockerId, missionId);
        if (path) {
          const titles = await this.missions.titles(tx, workspaceId, [missionId, ...path]);
          cycle = [missionId, ...path].map((id) => titles.get(id) ?? id);
        }
      }
      await this.execute(
        tx,
        addMissionDependency({
          workspaceId,
          actor: actorOf(principal),
          data: { missionId, blockerId, cycle },
        }),
      );
    });
    return this.found(workspaceId, missionId);
  }

  /** The mission no longer waits for `blockerId`; when that was its last unfinished blocker, it is ready. */
  async removeDependency(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    blockerId: string,
  ): Promise<MissionRecord> {
    this.assertCommander(principal, workspaceId);
    await this.runner.transaction(async (tx) => {
      await this.missions.lockDependencies(tx, workspaceId);
      const before = await this.missions.unfinishedBlockers(tx, workspaceId, missionId);
      const actor = actorOf(principal);
      const { events } = await this.execute(
        tx,
        removeMissionDependency({ workspaceId, actor, data: { missionId, blockerId } }),
      );
      if (
        events.length > 0 &&
        before.length > 0 &&
        (await this.missions.unfinishedBlockers(tx, workspaceId, missionId)).length === 0
      ) {
        await this.execute(tx, noteMissionReady({ workspaceId, actor, data: { missionId } }));
      }
    });
    return this.found(workspaceId, missionId);
  }

  /**
   * What the mission waits for (`blockers`) or what waits for it (`dependants`), for a field of
   * each card of a request: one query for the whole board. `request`: the GraphQL context.
   */
  async linked(
    principal: Principal,
    request: object,
    mission: { id: string; workspaceId: string },
    side: 'blockers' | 'dependants',
  ): Promise<MissionRecord[]> {
    assertWorkspace(principal, mission.workspaceId);
    const batch = batchOf(request, `${side}:${mission.workspaceId}`, async (ids) => {
      const byMission = new Map<string, MissionRecord[]>();
      for (const { of, mission: other } of await this.missions.linked(
        this.prisma,
        mission.workspaceId,
        ids,
        side,
      )) {
        byMission.set(of, [...(byMission.get(of) ?? []), other]);
      }
      return byMission;
    });
    return (await batch.get(mission.id)) ?? [];
  }

  async comment(
    principal: Principal,
    workspaceId: string,
    missionId: string,
    body: string,
  ): Promise<CommentRecord> {
    const authority = this.authorityOf(principal, workspaceId);
    const commentId = randomUUID();
    await this.run(
      addComment({
        workspaceId,
        actor: actorOf(principal),
        data: { missionId, commentId, body, authority },
      }),
    );
    const comment = (await this.missions.comments(workspaceId, missionId)).find(
      (candidate) => candidate.id === commentId,
    );
    if (!comment) {
      throw new Error('The comment just written is missing');
    }
    return comment;
  }

  async get(principal: Principal, workspaceId: string, missionId: string): Promise<MissionRecord> {
    assertWorkspace(principal, workspaceId);
    return this.found(workspaceId, missionId);
  }

  /** The missions of the workspace waiting for one not yet done (PRODUCT M4). */
  async blocked(principal: Principal, workspaceId: string): Promise<MissionRecord[]> {
    assertWorkspace(principal, workspaceId);
    return this.missions.blockedIn(workspaceId);
  }

  /** For the gateway's entity lookups: null unless the mission is in the caller's workspace. */
  async reference(principal: Principal, missionId: string): Promise<MissionRecord | null> {
    if (principal.workspaceId === null || !isId(missionId)) {
      return null;
    }
    return this.missions.find(principal.workspaceId, missionId);
  }

  /** Comments of a mission the caller was already allowed to see. */
  async comments(principal: Principal, mission: MissionRecord): Promise<CommentRecord[]> {
    assertWorkspace(principal, mission.workspaceId);
    return this.missions.comments(mission.workspaceId, mission.id);
  }

  /** Every event of the mission's stream, oldest first: its full history (PRODUCT M11). */
  async timeline(principal: Principal, mission: MissionRecord): Promise<TimelineEntry[]> {
    assertWorkspace(principal, mission.workspaceId);
    const stored = await missionEventStore.readStream(
      prismaQueryable(this.prisma),
      missionStreamId(mission.id),
    );
    return stored.map((event) => {
      const decoded = readEvent({ envelope: envelopeOf(event), payload: event.payload })
        .event as MissionEvent;
      return {
        version: event.version,
        type: event.type,
        occurredAt: event.recordedAt,
        actorKind: event.metadata.actor.kind,
        actorId: event.metadata.actor.id,
        data: timelineData(decoded),
      };
    });
  }

  /** Members with create_missions act on any mission; an agent without it only on its claim. */
  private authorityOf(principal: Principal, workspaceId: string): 'commander' | 'agent' {
    assertWorkspace(principal, workspaceId);
    if (can(principal, 'create_missions')) {
      return 'commander';
    }
    if (principal.kind === 'agent') {
      return 'agent';
    }
    throw AppError.forbidden('Missing permission create_missions', {
      permission: 'create_missions',
    });
  }

  private assertCommander(principal: Principal, workspaceId: string): void {
    assertWorkspace(principal, workspaceId);
    assertPermission(principal, 'create_missions');
  }

  /**
   * Only an active agent of the workspace takes missions. Another workspace's agent is answered
   * as an unknown one, so the answer never tells that it exists elsewhere. The roster learns
   * agents from their events, moments after they happen: an unknown agent may be one registered
   * or activated an instant ago, so that answer is retryable.
   */
  private async assertAssignable(workspaceId: string, agentId: string): Promise<void> {
    const agent = isId(agentId) ? await this.roster.find(this.prisma, workspaceId, agentId) : null;
    if (!agent) {
      throw new AppError(
        ErrorCode.VALIDATION_ERROR,
        'agentId names no agent of this workspace (an agent registered or activated a moment ago may not be known yet: try again shortly)',
        { fields: [{ path: 'agentId', message: 'no such agent in this workspace' }] },
        { retryable: true },
      );
    }
    if (!agent.active) {
      throw AppError.validation(
        'agentId names an inactive agent: activate it before assigning it missions',
        { fields: [{ path: 'agentId', message: 'the agent is not active' }] },
      );
    }
  }

  /** The ranks a card goes between, from the neighbours the client named (none: the end). */
  private async placementOf(
    tx: Tx,
    workspaceId: string,
    column: Column,
    missionId: string,
    { afterId, beforeId }: Neighbours,
  ): Promise<{ after: string | null; before: string | null }> {
    const rankOf = async (id: string, name: string): Promise<string> => {
      const rank = isId(id) ? await this.missions.rankIn(tx, workspaceId, column, id) : null;
      if (rank === null) {
        throw AppError.validation(`${name} is not a mission in column ${column}`, {
          field: name,
        });
      }
      return rank;
    };
    const after = afterId ? await rankOf(afterId, 'afterId') : null;
    const before = beforeId ? await rankOf(beforeId, 'beforeId') : null;
    if (after !== null) {
      return {
        after,
        before:
          before ??
          (await this.missions.neighbourRank(tx, workspaceId, column, 'after', after, missionId)),
      };
    }
    return {
      after: await this.missions.neighbourRank(
        tx,
        workspaceId,
        column,
        'before',
        before,
        missionId,
      ),
      before,
    };
  }

  private async run(command: MissionCommand & { actor: Actor }): Promise<MissionEvent[]> {
    const { events } = await this.runner.transaction((tx) => this.execute(tx, command));
    return events;
  }

  /**
   * A mission command on `tx`, its read tables kept alike: for this service and the features that
   * change missions in their own transactions (leases, dispatch). `newStream`: the command creates
   * the mission under an id just made, so nothing is loaded.
   */
  async execute(
    tx: Tx,
    command: MissionCommand,
    { newStream = false } = {},
  ): Promise<{ events: MissionEvent[]; stored: StoredEvent[] }> {
    const streamId = missionStreamId(command.data.missionId);
    const { events, stored } = newStream
      ? await this.runner.start(tx, missionDecider, streamId, command)
      : await this.runner.execute(tx, missionDecider, streamId, command);
    await this.projection.apply(tx, events, stored);
    return { events, stored };
  }

  /**
   * Mission commands decided from the mission's row, which the caller locked on `tx`, one after
   * another: the row is the aggregate's state at the stream's version (the projection keeps it so
   * on every append), so the stream is not read. Returns the row as the projection left it.
   */
  async executeOnRow(
    tx: Tx,
    mission: MissionRecord,
    commands: readonly MissionCommand[],
  ): Promise<{ events: MissionEvent[]; mission: MissionRecord }> {
    const { events, stored } = await this.runner.executeAllFrom(
      tx,
      missionDecider,
      missionStreamId(mission.id),
      commands,
      { state: missionStateOf(mission), version: mission.version },
    );
    await this.projection.apply(tx, events, stored);
    const row = stored.reduce(
      (current, record, index) => projectedRow(current, events[index]!, record),
      mission,
    );
    return { events, mission: row };
  }

  private async found(workspaceId: string, missionId: string): Promise<MissionRecord> {
    const mission = isId(missionId) ? await this.missions.find(workspaceId, missionId) : null;
    if (!mission) {
      throw AppError.notFound('Mission');
    }
    return mission;
  }
}
