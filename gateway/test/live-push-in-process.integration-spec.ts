import { processEventBus } from '@mission-control/eventing';
import { testRunId, until } from '@mission-control/testing';
import {
  LiveAuth,
  LiveEventPublisher,
  LiveSockets,
  startLiveGateway,
  type LiveGateway,
} from './support/live-harness';

// Standalone mode: the services of this process publish to the shared bus; no Kafka involved.
describe('live push from the in-process event bus', () => {
  const topic = `${testRunId()}.mission.events.v1`;
  const events = new LiveEventPublisher(processEventBus(), topic);
  const sockets = new LiveSockets();
  let auth: LiveAuth;
  let gateway: LiveGateway;

  const tokenFor = (workspaceId: string) => auth.tokenFor(workspaceId, 'viewer');
  const publish: LiveEventPublisher['publish'] = (...args) => events.publish(...args);
  const connect = (token: string, after?: string) => sockets.connect(gateway.url, token, after);

  beforeAll(async () => {
    auth = await LiveAuth.create();
    gateway = await startLiveGateway({ bus: 'in-process', brokers: [], topics: [topic], auth });
  });

  afterAll(async () => {
    sockets.closeAll();
    await gateway?.app.close();
  });

  it('is ready at once, with nothing to connect to', async () => {
    const response = await fetch(`${gateway.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ checks: { live: { status: 'up' } } });
  });

  it('pushes an event published to the shared bus to its workspace only', async () => {
    const mine = connect(await tokenFor('ws-a'));
    const other = connect(await tokenFor('ws-b'));
    await Promise.all([mine.ready, other.ready]);
    await publish('mission.v1.MissionCreated', 'ws-a', 'mission-a1', {
      missionId: 'mission-a1',
      title: 'A',
    });
    await until(() => mine.events.length === 1, 'the event');
    await new Promise((resolve) => setTimeout(resolve, 200)); // room for anything that should not come
    expect(mine.events[0]).toMatchObject({
      type: 'mission.v1.MissionCreated',
      subject: 'mission-a1',
      data: { missionId: 'mission-a1', title: 'A' },
    });
    expect(other.events).toEqual([]);
  });

  it('replays what a client missed when it reconnects with its last position', async () => {
    const token = await tokenFor('ws-r');
    const client = connect(token);
    await client.ready;
    await publish('mission.v1.MissionCreated', 'ws-r', 'mission-r', {
      missionId: 'mission-r',
      title: 'R',
    });
    await until(() => client.events.length === 1, 'the first event');
    const position = client.events[0]!.position;
    client.socket.disconnect();

    for (let n = 1; n <= 20; n += 1) {
      await publish('mission.v1.MissionMoved', 'ws-r', 'mission-r', {
        missionId: 'mission-r',
        rank: `r${n}`,
      });
    }
    const { push } = gateway;
    await until(
      () => push.feed.replay(position, (e) => e.workspaceId === 'ws-r').length === 20,
      'the gateway to hold the missed events',
    );
    const resumed = connect(token, position);
    await resumed.ready;
    expect(resumed.events.map((e) => (e.data as { rank?: string }).rank)).toEqual(
      Array.from({ length: 20 }, (_, i) => `r${i + 1}`),
    );
  });
});
