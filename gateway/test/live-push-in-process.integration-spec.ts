import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { io, type Socket } from 'socket.io-client';
import {
  AccessTokenIssuer,
  AccessTokenVerifier,
  generateSigningKey,
  type Principal,
} from '@mission-control/auth';
import { processEventBus } from '@mission-control/eventing';
import { PlatformModule } from '@mission-control/platform';
import {
  createEnvelope,
  encodeEvent,
  toKafkaHeaders,
  type DomainEventType,
  type EventInit,
} from '@mission-control/proto';
import { testRunId } from '@mission-control/testing';
import { EdgeAuthenticator } from '../src/auth/edge-authenticator';
import { LiveModule } from '../src/live/live.module';
import { LivePush } from '../src/live/live-push.service';
import type { LiveEvent } from '../src/live/live-event';

const AUTH = { issuer: 'mission-control', audience: 'mission-control' };

// Standalone mode: the services of this process publish to the shared bus; no Kafka involved.
describe('live push from the in-process event bus', () => {
  const topic = `${testRunId()}.mission.events.v1`;
  let issuer: AccessTokenIssuer;
  let app: INestApplication;
  let url: string;
  const sockets: Socket[] = [];
  const streamVersions = new Map<string, number>();

  async function publish<T extends DomainEventType>(
    type: T,
    workspaceId: string,
    subject: string,
    data: EventInit<T>,
  ): Promise<void> {
    const version = (streamVersions.get(subject) ?? 0) + 1;
    streamVersions.set(subject, version);
    const envelope = createEnvelope({
      type,
      source: '//mission-control/mission',
      subject,
      workspaceId,
      actor: { kind: 'user', id: 'u-1' },
      correlationId: 'corr',
      causationId: null,
      streamVersion: version,
    });
    await processEventBus().publish([
      {
        topic,
        key: subject,
        value: Buffer.from(encodeEvent(type, data)),
        headers: toKafkaHeaders(envelope),
      },
    ]);
  }

  const tokenFor = async (workspaceId: string) => {
    const principal: Principal = {
      kind: 'user',
      subject: 'user-viewer',
      workspaceId,
      role: 'viewer',
      scopes: null,
    };
    return (await issuer.issue(principal)).token;
  };

  function connect(token: string, after?: string) {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: after ? { token, after } : { token },
      reconnection: false,
    });
    sockets.push(socket);
    const events: LiveEvent[] = [];
    socket.on('event', (event: LiveEvent) => events.push(event));
    const ready = new Promise<string>((resolve, reject) => {
      socket.on('ready', (state: { position: string }) => resolve(state.position));
      socket.on('connect_error', reject);
    });
    return { socket, events, ready };
  }

  async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${what}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    issuer = new AccessTokenIssuer({ key: await generateSigningKey(), ...AUTH });
    const authenticator = new EdgeAuthenticator(
      new AccessTokenVerifier({ jwks: issuer.jwks(), ...AUTH }),
    );
    const moduleRef = await Test.createTestingModule({
      imports: [
        PlatformModule.forRoot({
          service: 'gateway',
          logLevel: 'silent',
          imports: [
            LiveModule.forRoot({
              bus: 'in-process',
              brokers: [],
              clientId: `${testRunId()}-gateway`,
              topics: [topic],
              bufferSize: 10_000,
              replayWindowMs: 10 * 60_000,
              corsOrigins: [],
              authenticate: (authorization) => authenticator.authenticate(authorization),
            }),
          ],
          readiness: { inject: [LivePush], useFactory: (push: LivePush) => [push.readiness()] },
        }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.disconnect());
    await app?.close();
  });

  it('is ready at once, with nothing to connect to', async () => {
    const response = await fetch(`${url}/ready`);
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
    const push = app.get(LivePush);
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
