import { fold, type StoredEvent } from '@mission-control/eventing';
import { domainEvent, missionV1 } from '@mission-control/proto';
import { missionDecider, type MissionEvent } from './mission.decider';
import { MissionProjection, missionStateOf, projectedRow } from './mission.projection';
import type { MissionRecord, MissionsRepository } from './missions.repository';
import type { Tx } from '../eventing/mission-event-store';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const start = Date.parse('2026-12-07T10:00:00Z');

const history: MissionEvent[] = [
  domainEvent('mission.v1.MissionCreated', {
    missionId,
    workspaceId,
    title: 'Survey the ridge',
    description: 'From the **north**',
    priority: missionV1.Priority.HIGH,
    tags: ['survey'],
    createdBy: 'user-ada',
    column: missionV1.BoardColumn.TODO,
    rank: 'a0',
  }),
  domainEvent('mission.v1.MissionAssigned', { missionId, agentId: 'agent-scout' }),
  domainEvent('mission.v1.MissionClaimed', {
    missionId,
    agentId: 'agent-scout',
    epoch: 1n,
    leaseSeconds: 300,
  }),
  domainEvent('mission.v1.MissionMoved', {
    missionId,
    fromColumn: missionV1.BoardColumn.TODO,
    toColumn: missionV1.BoardColumn.IN_PROGRESS,
    rank: 'a1',
  }),
  domainEvent('mission.v1.CommentAdded', {
    missionId,
    commentId: '0193a0c4-0000-7000-8000-0000000000c1',
    author: 'agent-scout',
    body: 'On it',
    mentionNames: [],
  }),
  domainEvent('mission.v1.MissionReleased', {
    missionId,
    agentId: 'agent-scout',
    epoch: 1n,
    reason: missionV1.ReleaseReason.LEASE_EXPIRED,
    toColumn: missionV1.BoardColumn.BLOCKED,
    rank: 'a2',
  }),
  domainEvent('mission.v1.MissionUpdated', {
    missionId,
    title: 'Survey the east ridge',
    description: '',
    priority: missionV1.Priority.URGENT,
    tags: [],
  }),
  domainEvent('mission.v1.MissionAssigned', { missionId, agentId: 'agent-rover' }),
  domainEvent('mission.v1.MissionClaimed', {
    missionId,
    agentId: 'agent-rover',
    epoch: 2n,
    leaseSeconds: 60,
  }),
];

const storedAt = (index: number) =>
  ({
    version: index + 1,
    recordedAt: new Date(start + index * 1_000),
    metadata: { workspaceId, actor: { kind: 'user', id: 'user-ada' } },
  }) as StoredEvent;

/** The row the projection answers after each event, from none. */
function rowsOf(events: readonly MissionEvent[]): MissionRecord[] {
  const rows: MissionRecord[] = [];
  events.forEach((event, index) => {
    rows.push(projectedRow(rows.at(-1)!, event, storedAt(index)));
  });
  return rows;
}

describe('the mission row as the projection answers it', () => {
  it('holds the aggregate’s state after every event, so commands may be decided from it', () => {
    const rows = rowsOf(history);
    history.forEach((_, index) => {
      expect(missionStateOf(rows[index]!)).toEqual(
        fold(missionDecider, history.slice(0, index + 1)),
      );
      expect(rows[index]!.version).toBe(index + 1);
    });
  });

  it('keeps when the claim was made and when its lease ends, and forgets both when it ends', () => {
    const rows = rowsOf(history);
    expect(rows[2]).toMatchObject({
      claimedBy: 'agent-scout',
      claimEpoch: 1,
      claimedAt: new Date(start + 2_000),
      leaseExpiresAt: new Date(start + 2_000 + 300_000),
    });
    expect(rows[5]).toMatchObject({
      claimedBy: null,
      assigneeAgentId: null,
      claimedAt: null,
      leaseExpiresAt: null,
      column: 'blocked',
      claimEpoch: 1,
    });
    expect(rows.at(-1)).toMatchObject({
      title: 'Survey the east ridge',
      priority: 'urgent',
      claimedBy: 'agent-rover',
      claimEpoch: 2,
      updatedAt: new Date(start + 8_000),
    });
  });
});

describe('the mission projection', () => {
  /** A repository that records what the projection asks of it, and the row those writes make. */
  function recordingRepository() {
    const calls: string[] = [];
    let row: MissionRecord | undefined;
    const repository = {
      insertMission: (_tx: Tx, record: MissionRecord) => {
        calls.push('insert');
        row = record;
        return Promise.resolve();
      },
      insertComment: () => {
        calls.push('comment');
        return Promise.resolve();
      },
      insertDependency: (_tx: Tx, edge: { missionId: string; blockerId: string }) => {
        calls.push(`depend ${edge.missionId} on ${edge.blockerId}`);
        return Promise.resolve();
      },
      deleteDependency: (_tx: Tx, dependant: string, blocker: string) => {
        calls.push(`undepend ${dependant} on ${blocker}`);
        return Promise.resolve();
      },
      updateMission: (_tx: Tx, id: string, version: number, at: Date, change: object) => {
        calls.push(`update ${id} v${version}`);
        row = { ...row!, ...change, version, updatedAt: at };
        return Promise.resolve();
      },
    };
    return {
      calls,
      row: () => row,
      projection: new MissionProjection(repository as unknown as MissionsRepository),
    };
  }

  it('writes one append’s row changes in one update, leaving the row projectedRow answers', async () => {
    const { calls, row, projection } = recordingRepository();
    await projection.apply(
      {} as Tx,
      history,
      history.map((_, index) => storedAt(index)),
    );
    expect(calls).toEqual(['insert', 'comment', `update ${missionId} v${history.length}`]);
    expect(row()).toEqual(rowsOf(history).at(-1));
  });

  it('keeps the dependency table alike, on the mission’s row version', async () => {
    const { calls, projection } = recordingRepository();
    const blockerId = '0193a0c4-0000-7000-8000-0000000000f2';
    const events: MissionEvent[] = [
      history[0]!,
      domainEvent('mission.v1.MissionDependencyAdded', { missionId, blockerId }),
      domainEvent('mission.v1.MissionDependencyRemoved', { missionId, blockerId }),
      domainEvent('mission.v1.MissionBecameReady', {
        missionId,
        column: missionV1.BoardColumn.TODO,
      }),
    ];
    await projection.apply(
      {} as Tx,
      events,
      events.map((_, index) => storedAt(index)),
    );
    expect(calls).toEqual([
      'insert',
      `depend ${missionId} on ${blockerId}`,
      `undepend ${missionId} on ${blockerId}`,
      `update ${missionId} v4`,
    ]);
  });
});
