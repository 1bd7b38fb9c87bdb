import { io, type Socket } from 'socket.io-client';
import { type Stack, startStack, until } from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';

type LiveEvent = {
  type: string;
  workspaceId: string;
  subject: string;
  position: string;
  data: unknown;
};

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

  function listen(member: Member): { events: LiveEvent[]; ready: Promise<unknown> } {
    const socket = io(stack.gatewayUrl, {
      transports: ['websocket'],
      auth: { token: member.workspaceToken },
      reconnection: false,
    });
    sockets.push(socket);
    const events: LiveEvent[] = [];
    socket.on('event', (event: LiveEvent) => events.push(event));
    return { events, ready: new Promise((resolve) => socket.on('ready', resolve)) };
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
});
