import { domainEvent, missionV1 } from '@mission-control/proto';
import { ALREADY_APPLIED, type EventMeta } from './event-meta';
import {
  commentDocument,
  evolveMission,
  missionDocument,
  type MissionChange,
  type MissionEvent,
  type MissionState,
} from './mission-state';

const ws = 'ws-1';
const t0 = new Date('2026-11-20T09:00:00Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);
const meta = (version: number, time = minutes(version)): EventMeta => ({
  version,
  time,
  workspaceId: ws,
});
const { BoardColumn, Priority } = missionV1;

const created = domainEvent('mission.v1.MissionCreated', {
  missionId: 'm-1',
  title: 'Land on the moon',
  description: 'Carefully',
  priority: Priority.HIGH,
  tags: ['apollo'],
  createdBy: 'user-1',
  column: BoardColumn.BACKLOG,
  rank: 'a0',
  workspaceId: ws,
});
const moved = (from: missionV1.BoardColumn, to: missionV1.BoardColumn) =>
  domainEvent('mission.v1.MissionMoved', { missionId: 'm-1', fromColumn: from, toColumn: to });

/** Applies events in order from nothing; returns every change. */
function replay(events: MissionEvent[]): MissionChange[] {
  let state: MissionState | null = null;
  return events.map((event, index) => {
    const change = evolveMission(state, event, meta(index + 1));
    if (change === ALREADY_APPLIED) {
      throw new Error('unexpected');
    }
    state = change.state;
    return change;
  });
}

describe('evolveMission', () => {
  it('creates the mission in its column and counts it created', () => {
    const [change] = replay([created]);
    expect(change!.state).toMatchObject({
      missionId: 'm-1',
      workspaceId: ws,
      column: 'backlog',
      priority: 'high',
      version: 1,
      firstInProgressAt: null,
    });
    expect(change!.points).toEqual([
      {
        measurement: 'mission_flow',
        tags: { workspace_id: ws, mission_id: 'm-1' },
        fields: { created: 1 },
        timestamp: `${minutes(1).getTime()}000001`,
      },
    ]);
  });

  it('counts a move into DONE once, with the cycle time from the first IN_PROGRESS', () => {
    const changes = replay([
      created,
      moved(BoardColumn.BACKLOG, BoardColumn.IN_PROGRESS),
      moved(BoardColumn.IN_PROGRESS, BoardColumn.REVIEW),
      moved(BoardColumn.REVIEW, BoardColumn.IN_PROGRESS),
      moved(BoardColumn.IN_PROGRESS, BoardColumn.DONE),
      moved(BoardColumn.DONE, BoardColumn.DONE),
    ]);
    expect(changes[1]!.state.firstInProgressAt).toEqual(minutes(2));
    expect(changes[3]!.state.firstInProgressAt).toEqual(minutes(2));
    const done = changes
      .flatMap((change) => change.points)
      .filter((point) => 'done' in point.fields);
    // Reordering within DONE is no second completion.
    expect(done).toEqual([
      expect.objectContaining({ fields: { done: 1, cycle_time_seconds: 180 } }),
    ]);
  });

  it('assigning drops the claim and re-indexes the comments; a claim does not', () => {
    const changes = replay([
      created,
      domainEvent('mission.v1.MissionAssigned', { missionId: 'm-1', agentId: 'a-1' }),
      domainEvent('mission.v1.MissionClaimed', { missionId: 'm-1', agentId: 'a-1' }),
      domainEvent('mission.v1.MissionAssigned', { missionId: 'm-1', agentId: '' }),
    ]);
    expect(changes[2]!.state).toMatchObject({ assigneeAgentId: 'a-1', claimedBy: 'a-1' });
    expect(changes[2]!.reindexComments).toBe(false);
    expect(changes[3]!.state).toMatchObject({ assigneeAgentId: null, claimedBy: null });
    expect(changes[3]!.reindexComments).toBe(true);
  });

  it('tells each claim with its epoch and when its agent was assigned', () => {
    const changes = replay([
      created,
      domainEvent('mission.v1.MissionAssigned', { missionId: 'm-1', agentId: 'a-1' }),
      domainEvent('mission.v1.MissionClaimed', { missionId: 'm-1', agentId: 'a-1', epoch: 1n }),
      domainEvent('mission.v1.MissionReleased', {
        missionId: 'm-1',
        agentId: 'a-1',
        epoch: 1n,
        toColumn: BoardColumn.TODO,
      }),
      domainEvent('mission.v1.MissionAssigned', { missionId: 'm-1', agentId: 'a-2' }),
      // Written before leases: no epoch, still the next claim.
      domainEvent('mission.v1.MissionClaimed', { missionId: 'm-1', agentId: 'a-2' }),
    ]);
    expect(changes[1]!.claimed).toBeNull();
    expect(changes[2]!.claimed).toEqual({
      missionId: 'm-1',
      epoch: 1,
      workspaceId: ws,
      agentId: 'a-1',
      assignedAt: minutes(2),
      at: minutes(3),
      version: 3,
    });
    expect(changes[5]!.claimed).toMatchObject({ epoch: 2, agentId: 'a-2', assignedAt: minutes(5) });
  });

  it('sends a released mission back unassigned to the column it names, re-indexing its comments', () => {
    const changes = replay([
      created,
      moved(BoardColumn.BACKLOG, BoardColumn.IN_PROGRESS),
      domainEvent('mission.v1.MissionAssigned', { missionId: 'm-1', agentId: 'a-1' }),
      domainEvent('mission.v1.MissionClaimed', { missionId: 'm-1', agentId: 'a-1', epoch: 1n }),
      domainEvent('mission.v1.MissionReleased', {
        missionId: 'm-1',
        agentId: 'a-1',
        epoch: 1n,
        toColumn: BoardColumn.TODO,
      }),
    ]);
    expect(changes[4]!.state).toMatchObject({
      column: 'todo',
      assigneeAgentId: null,
      assignedAt: null,
      claimedBy: null,
      claimEpoch: 1,
    });
    expect(changes[4]!.reindexComments).toBe(true);
    expect(changes[4]!.points).toEqual([]);
    expect(missionDocument(changes[4]!.state).document).toMatchObject({
      column: 'todo',
      assigneeAgentId: null,
    });
  });

  it('takes every detail of an update and adds comments carrying the mission’s facts', () => {
    const changes = replay([
      created,
      domainEvent('mission.v1.MissionUpdated', {
        missionId: 'm-1',
        title: 'Land softly',
        description: 'Very carefully',
        priority: Priority.URGENT,
        tags: ['apollo', 'eagle'],
      }),
      domainEvent('mission.v1.CommentAdded', {
        missionId: 'm-1',
        commentId: 'c-1',
        author: 'user-2',
        body: 'The eagle has landed',
      }),
    ]);
    const last = changes[2]!;
    expect(last.state).toMatchObject({ title: 'Land softly', priority: 'urgent', version: 3 });
    expect(last.comment).toEqual({
      commentId: 'c-1',
      missionId: 'm-1',
      workspaceId: ws,
      author: 'user-2',
      body: 'The eagle has landed',
      createdAt: minutes(3),
    });
    expect(commentDocument(last.state, last.comment!)).toEqual({
      id: 'comment:c-1',
      version: 3,
      document: {
        kind: 'comment',
        workspaceId: ws,
        missionId: 'm-1',
        commentId: 'c-1',
        missionTitle: 'Land softly',
        body: 'The eagle has landed',
        author: 'user-2',
        tags: ['apollo', 'eagle'],
        column: 'backlog',
        priority: 'urgent',
        assigneeAgentId: null,
        createdAt: minutes(3).toISOString(),
      },
    });
    expect(missionDocument(last.state)).toMatchObject({
      id: 'mission:m-1',
      version: 3,
      document: { kind: 'mission', title: 'Land softly', description: 'Very carefully' },
    });
  });

  it('skips an event its state already reflects', () => {
    const [first] = replay([created]);
    expect(evolveMission(first!.state, created, meta(1))).toBe(ALREADY_APPLIED);
  });

  it('refuses a later event of a mission it never saw created', () => {
    expect(() =>
      evolveMission(null, moved(BoardColumn.BACKLOG, BoardColumn.DONE), meta(2)),
    ).toThrow(/before its MissionCreated/);
  });
});
