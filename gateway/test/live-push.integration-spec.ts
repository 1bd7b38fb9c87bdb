import { createClient, type Client as GraphQLWsClient } from 'graphql-ws';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import type { LiveEvent } from '../src/live/live-event';
import { KafkaTransport, silentLogger } from '@mission-control/eventing';
import { missionV1 } from '@mission-control/proto';
import { engineEnv, testRunId, until } from '@mission-control/testing';
import {
  LiveAuth,
  LiveEventPublisher,
  LiveSockets,
  startLiveGateway,
  type LiveGateway,
} from './support/live-harness';

const env = engineEnv();

describe('live push from the event topics', () => {
  const topic = `${testRunId()}.mission.events.v1`;
  const identityTopic = `${testRunId()}.identity.events.v1`;
  const kafka = new Kafka({
    clientId: 'live-spec',
    brokers: env.KAFKA_BROKERS,
    logLevel: logLevel.NOTHING,
  });
  const transport = new KafkaTransport(kafka, { logger: silentLogger });
  const events = new LiveEventPublisher(transport, topic);
  const sockets = new LiveSockets();
  const replicas: LiveGateway[] = [];
  let auth: LiveAuth;

  async function startReplica(): Promise<LiveGateway> {
    const replica = await startLiveGateway({
      bus: 'kafka',
      brokers: env.KAFKA_BROKERS,
      topics: [topic, identityTopic],
      auth,
    });
    replicas.push(replica);
    return replica;
  }

  const tokenFor: LiveAuth['tokenFor'] = (...args) => auth.tokenFor(...args);
  const publish: LiveEventPublisher['publish'] = (...args) => events.publish(...args);
  const connect: LiveSockets['connect'] = (...args) => sockets.connect(...args);

  beforeAll(async () => {
    auth = await LiveAuth.create();
    await startReplica();
  });

  afterAll(async () => {
    sockets.closeAll();
    await Promise.all(replicas.map((replica) => replica.app.close()));
    await transport.close();
  });

  it('pushes each workspace its own events only, and invitations to admins only', async () => {
    const [replica] = replicas;
    const viewerA = connect(replica!.url, await tokenFor('ws-a', 'viewer'));
    const adminA = connect(replica!.url, await tokenFor('ws-a', 'admin'));
    const memberB = connect(replica!.url, await tokenFor('ws-b', 'mission_commander'));
    await Promise.all([viewerA.ready, adminA.ready, memberB.ready]);

    await publish('mission.v1.MissionCreated', 'ws-a', 'mission-a1', {
      missionId: 'mission-a1',
      title: 'A',
    });
    await publish('mission.v1.MissionCreated', 'ws-b', 'mission-b1', {
      missionId: 'mission-b1',
      title: 'B',
    });
    await publish(
      'identity.v1.MemberInvited',
      'ws-a',
      'workspace-ws-a',
      { workspaceId: 'ws-a', invitationId: 'inv-1', email: 'new@example.com' },
      identityTopic,
    );
    await until(() => adminA.events.length === 2 && memberB.events.length === 1, 'events');
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for anything that should not come

    expect(viewerA.events.map((e) => [e.type, e.subject])).toEqual([
      ['mission.v1.MissionCreated', 'mission-a1'],
    ]);
    expect(viewerA.events[0]!.data).toMatchObject({ missionId: 'mission-a1', title: 'A' });
    expect(adminA.events.map((e) => e.type).sort()).toEqual([
      'identity.v1.MemberInvited',
      'mission.v1.MissionCreated',
    ]);
    expect(memberB.events.map((e) => e.subject)).toEqual(['mission-b1']);
  });

  it('sends a run’s log lines only to sockets watching that run, resumable, in its workspace', async () => {
    const [replica] = replicas;
    const runId = '0193a0c4-0000-7000-8000-0000000000e1';
    const subject = `run-${runId}`;
    const board = connect(replica!.url, await tokenFor('ws-r', 'viewer'));
    const watcher = connect(replica!.url, await tokenFor('ws-r', 'viewer'), undefined, [subject]);
    // The same run id from another workspace: the room is that workspace's, so nothing arrives.
    const stranger = connect(replica!.url, await tokenFor('ws-s', 'admin'), undefined, [subject]);
    await Promise.all([board.ready, watcher.ready, stranger.ready]);

    const line = (position: number, text: string) => ({
      runId,
      lines: [{ position: BigInt(position), stream: missionV1.LogStream.STDOUT, text }],
    });
    await publish('mission.v1.RunStarted', 'ws-r', subject, { runId, workspaceId: 'ws-r' });
    await publish('mission.v1.RunLogAppended', 'ws-r', subject, line(1, 'cloning'));
    await publish('mission.v1.RunLogAppended', 'ws-r', subject, line(2, 'tests pass'));
    await until(() => watcher.events.length === 3, 'the watcher to get the run');
    await new Promise((resolve) => setTimeout(resolve, 300)); // room for anything that should not come

    expect(watcher.events.map((e) => e.type)).toEqual([
      'mission.v1.RunStarted',
      'mission.v1.RunLogAppended',
      'mission.v1.RunLogAppended',
    ]);
    expect(watcher.events[2]!.data).toMatchObject({ lines: [{ text: 'tests pass' }] });
    expect(board.events.map((e) => e.type)).toEqual(['mission.v1.RunStarted']);
    expect(stranger.events).toEqual([]);

    // Reconnecting after the first line replays the second to a watcher, and not to the board.
    const position = watcher.events[1]!.position;
    const resumed = connect(replica!.url, await tokenFor('ws-r', 'viewer'), position, [subject]);
    const boardResumed = connect(replica!.url, await tokenFor('ws-r', 'viewer'), position);
    await Promise.all([resumed.ready, boardResumed.ready]);
    expect(
      resumed.events.map((e) => (e.data as { lines: { text: string }[] }).lines[0]!.text),
    ).toEqual(['tests pass']);
    expect(boardResumed.events).toEqual([]);

    await expect(
      connect(replica!.url, await tokenFor('ws-r', 'viewer'), undefined, ['mission-1']).ready,
    ).rejects.toMatchObject({ data: { code: 'VALIDATION_ERROR' } });
  });

  it('refuses a socket without a valid token or workspace, with a coded error', async () => {
    const [replica] = replicas;
    await expect(connect(replica!.url, 'not-a-token').ready).rejects.toMatchObject({
      data: { code: 'UNAUTHENTICATED' },
    });
    const noWorkspace = (
      await auth.issuer.issue({
        kind: 'user',
        subject: 'u',
        workspaceId: null,
        role: null,
        scopes: null,
      })
    ).token;
    await expect(connect(replica!.url, noWorkspace).ready).rejects.toMatchObject({
      data: { code: 'FORBIDDEN' },
    });
    await expect(
      connect(replica!.url, await tokenFor('ws-a', 'viewer'), 'garbage').ready,
    ).rejects.toMatchObject({
      data: { code: 'VALIDATION_ERROR' },
    });
  });

  it('closes a socket when its access token expires, saying why', async () => {
    const [replica] = replicas;
    const shortLived = auth.issuerWithTtl(2);
    const { token } = await shortLived.issue({
      kind: 'user',
      subject: 'user-short',
      workspaceId: 'ws-a',
      role: 'viewer',
      scopes: null,
    });
    const client = connect(replica!.url, token);
    await client.ready;
    const closed = await new Promise<{ error: unknown; afterMs: number }>((resolve) => {
      const started = Date.now();
      let error: unknown;
      client.socket.on('live_error', (reason: unknown) => {
        error = reason;
      });
      client.socket.on('disconnect', () => resolve({ error, afterMs: Date.now() - started }));
    });
    expect(closed.error).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(closed.afterMs).toBeLessThan(3_000);
  });

  it('gives a client that reconnects — to another replica too — the 100 events it missed, in order', async () => {
    const [first] = replicas;
    const token = await tokenFor('ws-r', 'viewer');
    const client = connect(first!.url, token);
    await client.ready;
    await publish('mission.v1.MissionCreated', 'ws-r', 'mission-r', {
      missionId: 'mission-r',
      title: 'R',
    });
    await until(() => client.events.length === 1, 'the first event');
    const position = client.events[0]!.position;
    client.socket.disconnect();

    const second = await startReplica();
    for (let n = 1; n <= 100; n += 1) {
      await publish('mission.v1.MissionMoved', 'ws-r', 'mission-r', {
        missionId: 'mission-r',
        rank: `r${n}`,
      });
    }
    await publish('mission.v1.MissionCreated', 'ws-other', 'mission-x', {
      missionId: 'mission-x',
      title: 'X',
    });

    for (const replica of [first!, second]) {
      // Each replica consumed the missed events itself; wait until it has them.
      await until(
        () => replica.push.feed.replay(position, (e) => e.workspaceId === 'ws-r').length === 100,
        'the replica to hold the missed events',
      );
      const resumed = connect(replica.url, token, position);
      await resumed.ready;
      expect(resumed.events.map((e) => (e.data as { rank?: string }).rank)).toEqual(
        Array.from({ length: 100 }, (_, i) => `r${i + 1}`),
      );
      resumed.socket.disconnect();
    }
  });

  it('serves GraphQL subscriptions over graphql-ws, filtered by workspace, resumable', async () => {
    const [replica] = replicas;
    const wsUrl = `${replica!.url.replace(/^http/, 'ws')}/graphql`;
    const clients: GraphQLWsClient[] = [];
    const subscribe = (token: string | undefined, query: string) => {
      const client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
      });
      clients.push(client);
      const events: LiveEvent[] = [];
      const errors: unknown[] = [];
      client.subscribe<{ activity?: LiveEvent; missionChanged?: LiveEvent; runLog?: LiveEvent }>(
        { query },
        {
          next: (result) => {
            const event =
              result.data?.activity ?? result.data?.missionChanged ?? result.data?.runLog;
            if (event) {
              events.push(event);
            }
          },
          error: (error) => errors.push(error),
          complete: () => undefined,
        },
      );
      return { events, errors };
    };
    const fields = 'id type subject workspaceId position data';
    const a = subscribe(
      await tokenFor('ws-g', 'viewer'),
      `subscription { missionChanged(boardId: "ws-g") { ${fields} } }`,
    );
    const b = subscribe(
      await tokenFor('ws-h', 'viewer'),
      `subscription { activity { ${fields} } }`,
    );
    const anonymous = subscribe(undefined, `subscription { activity { ${fields} } }`);
    await new Promise((resolve) => setTimeout(resolve, 500)); // subscriptions registered

    await publish('mission.v1.MissionCreated', 'ws-g', 'mission-g', {
      missionId: 'mission-g',
      title: 'G',
    });
    await publish('mission.v1.MissionCreated', 'ws-h', 'mission-h', {
      missionId: 'mission-h',
      title: 'H',
    });
    await until(() => a.events.length === 1 && b.events.length === 1, 'subscription events');
    expect(a.events[0]).toMatchObject({ subject: 'mission-g', workspaceId: 'ws-g' });
    expect(b.events[0]).toMatchObject({ subject: 'mission-h', workspaceId: 'ws-h' });
    await until(() => anonymous.errors.length === 1, 'the anonymous socket to be closed');
    expect(anonymous.errors[0]).toMatchObject({ code: 4403 });

    // Resume after the first event: the second arrives, the first does not again.
    await publish('mission.v1.MissionMoved', 'ws-g', 'mission-g', {
      missionId: 'mission-g',
      rank: 'z',
    });
    const resumed = subscribe(
      await tokenFor('ws-g', 'viewer'),
      `subscription { missionChanged(boardId: "ws-g", after: "${a.events[0]!.position}") { ${fields} } }`,
    );
    await until(() => resumed.events.length === 1, 'the replayed event');
    expect(resumed.events[0]).toMatchObject({ type: 'mission.v1.MissionMoved' });

    // A run's log lines: on runLog for that run, never on the board's or the workspace's feed.
    const runId = '0193a0c4-0000-7000-8000-0000000000e2';
    const runLog = subscribe(
      await tokenFor('ws-g', 'viewer'),
      `subscription { runLog(runId: "${runId}") { ${fields} } }`,
    );
    const otherRun = subscribe(
      await tokenFor('ws-g', 'viewer'),
      `subscription { runLog(runId: "0193a0c4-0000-7000-8000-0000000000e3") { ${fields} } }`,
    );
    await new Promise((resolve) => setTimeout(resolve, 500)); // subscriptions registered
    await publish('mission.v1.RunLogAppended', 'ws-g', `run-${runId}`, {
      runId,
      lines: [{ position: 1n, stream: missionV1.LogStream.STDERR, text: 'warning' }],
    });
    await publish('mission.v1.RunFinished', 'ws-g', `run-${runId}`, {
      runId,
      outcome: missionV1.RunOutcome.SUCCEEDED,
    });
    await until(() => runLog.events.length === 2 && a.events.length === 3, 'the run events');
    expect(runLog.events.map((e) => e.type)).toEqual([
      'mission.v1.RunLogAppended',
      'mission.v1.RunFinished',
    ]);
    expect(a.events.map((e) => e.type).at(-1)).toBe('mission.v1.RunFinished');
    expect(otherRun.events).toEqual([]);
    await Promise.all(clients.map(async (client) => client.dispose()));
  });
});
