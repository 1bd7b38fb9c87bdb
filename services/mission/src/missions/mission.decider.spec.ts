import { AppError } from '@mission-control/errors';
import { given } from '@mission-control/eventing';
import { domainEvent, missionV1, type Actor } from '@mission-control/proto';
import {
  addComment,
  assignMission,
  claimMission,
  createMission,
  moveMission,
  releaseClaim,
  updateMission,
  addMissionDependency,
  noteMissionReady,
  removeMissionDependency,
  type ReleaseReason,
} from './mission.commands';
import { missionDecider, type MissionEvent } from './mission.decider';

const workspaceId = '0193a0c4-0000-7000-8000-00000000000a';
const otherWorkspaceId = '0193a0c4-0000-7000-8000-00000000000b';
const missionId = '0193a0c4-0000-7000-8000-0000000000f1';
const commentId = '0193a0c4-0000-7000-8000-0000000000c1';
const ada: Actor = { kind: 'user', id: '0193a0c4-0000-7000-8000-000000000001' };
const scout: Actor = { kind: 'agent', id: 'agent-scout' };
const rover: Actor = { kind: 'agent', id: 'agent-rover' };
const code = (expected: string) => (error: unknown) =>
  error instanceof AppError && error.code === expected;
const top = { after: null, before: null };

const created = domainEvent('mission.v1.MissionCreated', {
  missionId,
  workspaceId,
  title: 'Land on the moon',
  description: '**Carefully**',
  priority: missionV1.Priority.HIGH,
  tags: ['apollo'],
  createdBy: ada.id,
  column: missionV1.BoardColumn.BACKLOG,
  rank: 'a0',
});
const assignedToScout = domainEvent('mission.v1.MissionAssigned', {
  missionId,
  agentId: scout.id,
});
const claimedByScout = domainEvent('mission.v1.MissionClaimed', {
  missionId,
  agentId: scout.id,
  epoch: 1n,
  leaseSeconds: 300,
});
const system: Actor = { kind: 'system', id: 'mission-leases' };

const move = (actor: Actor, authority: 'commander' | 'agent', workspace = workspaceId) =>
  moveMission({
    workspaceId: workspace,
    actor,
    data: { missionId, column: 'in_progress', placement: { after: 'a0', before: 'a1' }, authority },
  });
const moved: MissionEvent = domainEvent('mission.v1.MissionMoved', {
  missionId,
  fromColumn: missionV1.BoardColumn.BACKLOG,
  toColumn: missionV1.BoardColumn.IN_PROGRESS,
  rank: 'a0V',
});

describe('mission decider', () => {
  it('creates a mission in its column at the rank after the last card', () => {
    given(missionDecider)
      .when(
        createMission({
          workspaceId,
          actor: ada,
          data: {
            missionId,
            title: '  Land on the moon ',
            description: '**Carefully**',
            priority: 'high',
            tags: ['Apollo', 'apollo'],
            placement: { after: 'Zz', before: null },
          },
        }),
      )
      .then([{ ...created, data: { ...created.data, rank: 'a0' } }]);
  });

  it('validates commands on construction', () => {
    const bad = () =>
      createMission({
        workspaceId,
        actor: ada,
        data: { missionId, title: ' ', placement: { after: 'not a rank', before: null } },
      });
    expect(bad).toThrow(AppError);
    expect(bad).toThrow(/data.title: must not be empty; data.placement.after: not a rank/);
    expect(() => updateMission({ workspaceId, actor: ada, data: { missionId } })).toThrow(
      /nothing to update/,
    );
    expect(() =>
      createMission({
        workspaceId: '',
        actor: ada,
        data: { missionId, title: 'x', placement: top },
      }),
    ).toThrow(/workspaceId/);
  });

  it('refuses to create the same mission twice', () => {
    given(missionDecider, [created])
      .when(
        createMission({ workspaceId, actor: ada, data: { missionId, title: 'x', placement: top } }),
      )
      .thenThrows(code('CONFLICT'));
  });

  it('updates the details, and an update that changes nothing records nothing', () => {
    given(missionDecider, [created])
      .when(updateMission({ workspaceId, actor: ada, data: { missionId, priority: 'urgent' } }))
      .then([
        domainEvent('mission.v1.MissionUpdated', {
          missionId,
          title: 'Land on the moon',
          description: '**Carefully**',
          priority: missionV1.Priority.URGENT,
          tags: ['apollo'],
        }),
      ]);
    given(missionDecider, [created])
      .when(updateMission({ workspaceId, actor: ada, data: { missionId, tags: ['Apollo'] } }))
      .then([]);
  });

  it('moves between the named neighbours', () => {
    given(missionDecider, [created]).when(move(ada, 'commander')).then([moved]);
  });

  it('refuses neighbours given in the wrong order', () => {
    given(missionDecider, [created])
      .when(
        moveMission({
          workspaceId,
          actor: ada,
          data: {
            missionId,
            column: 'todo',
            placement: { after: 'a2', before: 'a1' },
            authority: 'commander',
          },
        }),
      )
      .thenThrows(code('VALIDATION_ERROR'));
  });

  it('answers NOT_FOUND for a missing mission and for another workspace’s', () => {
    given(missionDecider).when(move(ada, 'commander')).thenThrows(code('NOT_FOUND'));
    given(missionDecider, [created])
      .when(move(ada, 'commander', otherWorkspaceId))
      .thenThrows(code('NOT_FOUND'));
    given(missionDecider, [created])
      .when(
        assignMission({
          workspaceId: otherWorkspaceId,
          actor: ada,
          data: { missionId, agentId: 'x' },
        }),
      )
      .thenThrows(code('NOT_FOUND'));
  });

  it('assigns, reassigns (dropping the claim) and unassigns', () => {
    given(missionDecider, [created])
      .when(assignMission({ workspaceId, actor: ada, data: { missionId, agentId: scout.id } }))
      .then([assignedToScout]);
    given(missionDecider, [created, assignedToScout])
      .when(assignMission({ workspaceId, actor: ada, data: { missionId, agentId: scout.id } }))
      .then([]);
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(assignMission({ workspaceId, actor: ada, data: { missionId, agentId: null } }))
      .then([domainEvent('mission.v1.MissionAssigned', { missionId, agentId: '' })]);
    // After reassignment the old claim is gone: scout may no longer move it as an agent.
    given(missionDecider, [
      created,
      assignedToScout,
      claimedByScout,
      domainEvent('mission.v1.MissionAssigned', { missionId, agentId: rover.id }),
    ])
      .when(move(scout, 'agent'))
      .thenThrows(code('FORBIDDEN'));
  });

  it('lets the assigned agent claim, once', () => {
    given(missionDecider, [created, assignedToScout])
      .when(claimMission({ workspaceId, actor: scout, data: { missionId, leaseSeconds: 300 } }))
      .then([claimedByScout]);
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(claimMission({ workspaceId, actor: scout, data: { missionId, leaseSeconds: 300 } }))
      .then([]);
  });

  it('refuses a claim by another agent, by a person, or on an unassigned mission', () => {
    given(missionDecider, [created, assignedToScout])
      .when(claimMission({ workspaceId, actor: rover, data: { missionId, leaseSeconds: 300 } }))
      .thenThrows(code('FORBIDDEN'));
    given(missionDecider, [created, assignedToScout])
      .when(claimMission({ workspaceId, actor: ada, data: { missionId, leaseSeconds: 300 } }))
      .thenThrows(code('FORBIDDEN'));
    given(missionDecider, [created])
      .when(claimMission({ workspaceId, actor: scout, data: { missionId, leaseSeconds: 300 } }))
      .thenThrows(code('FORBIDDEN'));
  });

  it('ends a claim whose lease ran out: back to To do, unassigned, and only that claim', () => {
    const release = (actor: Actor, epoch: number, reason: ReleaseReason = 'lease_expired') =>
      releaseClaim({
        workspaceId,
        actor,
        data: {
          missionId,
          epoch,
          reason,
          column: 'todo',
          placement: { after: 'a0', before: null },
        },
      });
    const released = domainEvent('mission.v1.MissionReleased', {
      missionId,
      agentId: scout.id,
      epoch: 1n,
      reason: missionV1.ReleaseReason.LEASE_EXPIRED,
      toColumn: missionV1.BoardColumn.TODO,
      rank: 'a1',
    });
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(release(system, 1))
      .then([released]);
    // A claim already ended, or a newer one: nothing to end.
    given(missionDecider, [created, assignedToScout, claimedByScout, released])
      .when(release(system, 1))
      .then([]);
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(release(system, 2))
      .then([]);
    // Given back by its own agent only, and only as a release.
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(release(scout, 1, 'released'))
      .then([
        domainEvent('mission.v1.MissionReleased', {
          ...released.data,
          reason: missionV1.ReleaseReason.RELEASED,
        }),
      ]);
    for (const [actor, reason] of [
      [scout, 'lease_expired'],
      [rover, 'released'],
      [ada, 'released'],
    ] as const) {
      given(missionDecider, [created, assignedToScout, claimedByScout])
        .when(release(actor, 1, reason))
        .thenThrows(code('FORBIDDEN'));
    }
  });

  it('gives the next claim the next epoch, also after claims recorded before leases', () => {
    const reassigned = domainEvent('mission.v1.MissionAssigned', { missionId, agentId: rover.id });
    const legacyClaim = domainEvent('mission.v1.MissionClaimed', { missionId, agentId: scout.id });
    given(missionDecider, [created, assignedToScout, legacyClaim, reassigned])
      .when(claimMission({ workspaceId, actor: rover, data: { missionId, leaseSeconds: 60 } }))
      .then([
        domainEvent('mission.v1.MissionClaimed', {
          missionId,
          agentId: rover.id,
          epoch: 2n,
          leaseSeconds: 60,
        }),
      ]);
  });

  it('lets an agent move and comment only the mission it claimed', () => {
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(move(scout, 'agent'))
      .then([moved]);
    given(missionDecider, [created, assignedToScout])
      .when(move(scout, 'agent'))
      .thenThrows(code('FORBIDDEN'));
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(move(rover, 'agent'))
      .thenThrows(code('FORBIDDEN'));
    given(missionDecider, [created])
      .when(
        addComment({
          workspaceId,
          actor: rover,
          data: { missionId, commentId, body: 'mine now', authority: 'agent' },
        }),
      )
      .thenThrows(code('FORBIDDEN'));
  });

  it('adds a comment with its @mentions', () => {
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(
        addComment({
          workspaceId,
          actor: scout,
          data: {
            missionId,
            commentId,
            body: 'Done, @Ada. ping@example.com @ops',
            authority: 'agent',
          },
        }),
      )
      .then([
        domainEvent('mission.v1.CommentAdded', {
          missionId,
          commentId,
          author: scout.id,
          body: 'Done, @Ada. ping@example.com @ops',
          mentions: [],
          mentionNames: ['ada', 'ops'],
        }),
      ]);
  });
});

describe('mission dependencies (PRODUCT M4)', () => {
  const blockerId = '0193a0c4-0000-7000-8000-0000000000f2';
  const add = (cycle: string[] | null = null, blocker = blockerId, workspace = workspaceId) =>
    addMissionDependency({
      workspaceId: workspace,
      actor: ada,
      data: { missionId, blockerId: blocker, cycle },
    });
  const remove = (blocker = blockerId) =>
    removeMissionDependency({ workspaceId, actor: ada, data: { missionId, blockerId: blocker } });
  const added = domainEvent('mission.v1.MissionDependencyAdded', { missionId, blockerId });
  const removed = domainEvent('mission.v1.MissionDependencyRemoved', { missionId, blockerId });
  const says = (expected: string, message: string) => (error: unknown) =>
    error instanceof AppError && error.code === expected && error.message === message;

  it('records that a mission waits for another, once', () => {
    given(missionDecider, [created]).when(add()).then([added]);
    given(missionDecider, [created, added]).when(add()).then([]);
    given(missionDecider, [created, added, removed]).when(add()).then([added]);
  });

  it('refuses a mission waiting for itself', () => {
    given(missionDecider, [created])
      .when(add(null, missionId))
      .thenThrows(code('VALIDATION_ERROR'));
  });

  it('refuses an edge that closes a cycle, naming it', () => {
    given(missionDecider, [created])
      .when(add(['Ship', 'Test', 'Build', 'Ship']))
      .thenThrows(says('CONFLICT', 'Would make a cycle: Ship → Test → Build → Ship'));
  });

  it('answers another workspace’s mission as a missing one', () => {
    given(missionDecider, [created])
      .when(add(null, blockerId, otherWorkspaceId))
      .thenThrows(code('NOT_FOUND'));
    given(missionDecider, []).when(add()).thenThrows(code('NOT_FOUND'));
  });

  it('removes a dependency it has, and ignores one it has not', () => {
    given(missionDecider, [created, added]).when(remove()).then([removed]);
    given(missionDecider, [created, added, removed]).when(remove()).then([]);
    given(missionDecider, [created]).when(remove()).then([]);
  });

  it('refuses a claim while a blocker is not done, naming the blockers', () => {
    given(missionDecider, [created, assignedToScout])
      .when(
        claimMission({
          workspaceId,
          actor: scout,
          data: { missionId, leaseSeconds: 300, blockedBy: ['Build', 'Test'] },
        }),
      )
      .thenThrows(says('CONFLICT', 'Blocked by: Build, Test'));
    // A claim it already holds stays held: it was taken before the blocker was added.
    given(missionDecider, [created, assignedToScout, claimedByScout])
      .when(
        claimMission({
          workspaceId,
          actor: scout,
          data: { missionId, leaseSeconds: 300, blockedBy: ['Build'] },
        }),
      )
      .then([]);
  });

  it('notes a mission ready with where it is and who it is assigned to', () => {
    given(missionDecider, [created, assignedToScout, added])
      .when(noteMissionReady({ workspaceId, actor: ada, data: { missionId } }))
      .then([
        domainEvent('mission.v1.MissionBecameReady', {
          missionId,
          column: missionV1.BoardColumn.BACKLOG,
          assigneeAgentId: scout.id,
        }),
      ]);
  });
});
