import { io, type Socket } from 'socket.io-client';
import { until } from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import {
  freshDataDir,
  startStandalone,
  type StandaloneProcess,
} from '../support/standalone-process';

const REMOVE = `mutation ($id: ID!, $user: ID!) { removeMember(workspaceId: $id, userId: $user) }`;
const WORKSPACE = 'query ($id: ID!) { workspace(id: $id) { id } }';
const SEARCH = `query ($ws: ID!, $q: String!) {
  search(workspaceId: $ws, query: $q) { total hits { missionId title } }
}`;
const TODO = `query ($ws: ID!) {
  boardColumn(workspaceId: $ws, column: TODO, first: 200) { totalCount missions { id title } }
}`;

/**
 * `npm start` runs its services in a second thread by default, the gateway and web app in the
 * first, with the services' events carried across to live push; MC_SERVICES_THREAD=0 keeps all in
 * one thread. Either way the instance does the same: what one service writes reaches the others
 * and every open live connection.
 */
describe.each([
  ['in a thread of their own (the default)', {}],
  ['in the one thread (MC_SERVICES_THREAD=0)', { MC_SERVICES_THREAD: '0' }],
])('standalone mode with its services %s', (_mode, env) => {
  let instance: StandaloneProcess | undefined;
  let socket: Socket | undefined;

  afterAll(async () => {
    socket?.disconnect();
    await instance?.stop();
  });

  it('carries a new mission to live push and search, refuses a removed member, and stops cleanly', async () => {
    instance = await startStandalone(freshDataDir(), { env });
    const graph = new GraphClient(instance.url);
    const world = new IdentityWorld(graph);
    const admin = await world.workspace('Threads');
    const viewer = await world.member(admin, 'VIEWER');

    socket = io(instance.url, {
      transports: ['websocket'],
      auth: { token: admin.workspaceToken },
      reconnection: false,
    });
    const types: string[] = [];
    socket.on('event', (event: { type: string }) => types.push(event.type));
    await new Promise((resolve) => socket!.on('ready', resolve));

    const mission = await new SquadWorld(graph).mission(admin, 'Recalibrate the gyroscopes');
    await until(() => types.includes('mission.v1.MissionCreated'), 'MissionCreated, live');
    await until(async () => {
      const { data } = await graph.request<{ search: { hits: { missionId: string }[] } }>(
        SEARCH,
        { ws: admin.workspaceId, q: 'gyroscopes' },
        admin.workspaceToken,
      );
      return data?.search.hits.some((hit) => hit.missionId === mission.id) ?? false;
    }, 'the mission found by search');

    // The identity service's revocation reaches the gateway's thread: the token stops working.
    await graph.ok(REMOVE, { id: admin.workspaceId, user: viewer.userId }, admin.workspaceToken);
    await until(async () => {
      const { errors } = await graph.request(
        WORKSPACE,
        { id: admin.workspaceId },
        viewer.workspaceToken,
      );
      return errors?.[0]?.extensions?.code === 'UNAUTHENTICATED';
    }, 'the removed member refused');

    expect(await instance.stop()).toBe(0);
    expect(instance.output.join('')).toMatch(/\] stopped/);
    instance = undefined;
  });
});

/**
 * The process killed while its services thread is writing: what was acknowledged is there once,
 * and every projection (search) catches up on the next start without counting anything twice.
 */
describe('standalone mode killed (SIGKILL) while its services thread writes', () => {
  let instance: StandaloneProcess | undefined;

  afterAll(async () => {
    await instance?.stop();
  });

  it('keeps every acknowledged mission, once, and search catches up to exactly the board', async () => {
    const dataDir = freshDataDir();
    instance = await startStandalone(dataDir);
    const port = Number(new URL(instance.url).port);
    let graph = new GraphClient(instance.url);
    const world = new IdentityWorld(graph);
    const admin = await world.workspace('Chaos');
    const squad = new SquadWorld(graph);

    // Four writers, until the process is gone.
    const acknowledged = new Map<string, string>();
    let sent = 0;
    const writer = async () => {
      for (;;) {
        const title = `Chaos mission ${String((sent += 1)).padStart(4, '0')}`;
        try {
          acknowledged.set((await squad.mission(admin, title)).id, title);
        } catch {
          return;
        }
      }
    };
    const writers = Promise.all([writer(), writer(), writer(), writer()]);
    await until(() => acknowledged.size >= 40, '40 missions acknowledged');
    instance.child.kill('SIGKILL');
    await writers;

    instance = await startStandalone(dataDir, { port });
    graph = new GraphClient(instance.url);
    // The in-process bus starts empty: tokens from before the crash are not vouched for.
    const again = await new IdentityWorld(graph).logIn(admin);
    const { boardColumn } = await graph.ok<{
      boardColumn: { totalCount: number; missions: { id: string; title: string }[] };
    }>(TODO, { ws: admin.workspaceId }, again.workspaceToken);
    const titles = boardColumn.missions.map((mission) => mission.title);
    const ids = new Set(boardColumn.missions.map((mission) => mission.id));

    expect([...acknowledged.keys()].filter((id) => !ids.has(id))).toEqual([]);
    expect(new Set(titles).size).toBe(titles.length);
    expect(boardColumn.totalCount).toBeLessThanOrEqual(sent);
    let found: unknown;
    await until(async () => {
      const { data, errors } = await graph.request<{ search: { total: number } }>(
        SEARCH,
        { ws: admin.workspaceId, q: 'chaos mission' },
        again.workspaceToken,
      );
      found = data?.search.total ?? errors;
      return data?.search.total === boardColumn.totalCount;
    }, `search counting the board's ${boardColumn.totalCount} missions`).catch((error: Error) => {
      throw new Error(`${error.message}; search found ${JSON.stringify(found)}`);
    });
  });
});
