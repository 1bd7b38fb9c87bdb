import { io, type Socket } from 'socket.io-client';
import { type Stack, startStack, until } from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';

type LiveEvent = {
  type: string;
  workspaceId: string;
  subject: string;
  position: string;
  data: unknown;
};

type Wake = { reason: string; missionId: string };

describe('live push end to end: identity → relay → Kafka → gateway → socket.io', () => {
  let stack: Stack;
  let graph: GraphClient;
  let world: IdentityWorld;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    stack = await startStack();
    graph = new GraphClient(stack.gatewayUrl);
    world = new IdentityWorld(graph);
  });
  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await stack?.stop();
  });

  function listen(member: Member | { token: string }): {
    events: LiveEvent[];
    wakes: Wake[];
    ready: Promise<unknown>;
  } {
    const socket = io(stack.gatewayUrl, {
      transports: ['websocket'],
      auth: { token: 'workspaceToken' in member ? member.workspaceToken : member.token },
      reconnection: false,
    });
    sockets.push(socket);
    const events: LiveEvent[] = [];
    const wakes: Wake[] = [];
    socket.on('event', (event: LiveEvent) => events.push(event));
    socket.on('wake', (wake: Wake) => wakes.push(wake));
    return { events, wakes, ready: new Promise((resolve) => socket.on('ready', resolve)) };
  }

  it('shows a workspace’s changes to its members live, invitations to admins only, nothing to others', async () => {
    const admin = await world.workspace('live-a');
    const viewer = await world.member(admin, 'VIEWER');
    const other = await world.workspace('live-b');
    const [adminFeed, viewerFeed, otherFeed] = [listen(admin), listen(viewer), listen(other)];
    await Promise.all([adminFeed.ready, viewerFeed.ready, otherFeed.ready]);

    const joined = await world.member(admin, 'AGENT_OPERATOR', 'newcomer');
    await until(
      () => viewerFeed.events.some((event) => event.type === 'identity.v1.MemberJoined'),
      'MemberJoined at the viewer',
    );
    await until(
      () => adminFeed.events.some((event) => event.type === 'identity.v1.MemberInvited'),
      'MemberInvited at the admin',
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for anything that should not come

    expect(viewerFeed.events.map((event) => event.type)).not.toContain('identity.v1.MemberInvited');
    expect(viewerFeed.events.every((event) => event.workspaceId === admin.workspaceId)).toBe(true);
    expect(otherFeed.events).toEqual([]);
    const joinedEvent = viewerFeed.events.find(
      (event) => event.type === 'identity.v1.MemberJoined',
    );
    expect(JSON.stringify(joinedEvent?.data)).toContain(joined.userId);
  });

  it('wakes an agent when work is assigned to it or goes to To do, and no person', async () => {
    const admin = await world.workspace('live-wake');
    const squads = new SquadWorld(graph);
    const scout = await squads.activeAgent(admin, 'Scout');
    const rover = await squads.activeAgent(admin, 'Rover');
    const [scoutFeed, roverFeed, adminFeed] = [listen(scout), listen(rover), listen(admin)];
    await Promise.all([scoutFeed.ready, roverFeed.ready, adminFeed.ready]);

    // Created in To do: work for anyone, then assigned to the scout: work for it.
    const assigned = await squads.mission(admin, 'Wake the scout');
    await until(
      async () =>
        !(
          await graph.request(
            'mutation ($ws: ID!, $id: ID!, $agent: ID) { assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }',
            { ws: admin.workspaceId, id: assigned.id, agent: scout.id },
            admin.workspaceToken,
          )
        ).errors,
      'the scout assignable',
    );
    // Created in the backlog, it wakes no one until it is moved to To do.
    const { createMission: open } = await graph.ok<{ createMission: { id: string } }>(
      'mutation ($ws: ID!) { createMission(workspaceId: $ws, input: { title: "Anyone may take this" }) { id } }',
      { ws: admin.workspaceId },
      admin.workspaceToken,
    );
    await graph.ok(
      'mutation ($ws: ID!, $id: ID!) { moveMission(workspaceId: $ws, missionId: $id, column: TODO) { id } }',
      { ws: admin.workspaceId, id: open.id },
      admin.workspaceToken,
    );
    await until(
      () =>
        [scoutFeed, roverFeed].every((feed) =>
          feed.wakes.some((wake) => wake.missionId === open.id),
        ),
      'both agents woken for work in To do',
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // room for anything that should not come
    const available = (missionId: string) => ({ reason: 'available', missionId });
    expect(scoutFeed.wakes).toEqual([
      available(assigned.id),
      { reason: 'assigned', missionId: assigned.id },
      available(open.id),
    ]);
    expect(roverFeed.wakes).toEqual([available(assigned.id), available(open.id)]);
    expect(adminFeed.wakes).toEqual([]);
    // The woken agent takes it with nextMission.
    const { nextMission } = await graph.ok<{ nextMission: { id: string } }>(
      'mutation ($ws: ID!) { nextMission(workspaceId: $ws) { id } }',
      { ws: admin.workspaceId },
      rover.token,
    );
    expect(nextMission.id).toBe(open.id);
  });
});
