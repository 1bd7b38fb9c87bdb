import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { io, type Socket } from 'socket.io-client';
import {
  AccessTokenIssuer,
  AccessTokenVerifier,
  generateSigningKey,
  type Principal,
  type Role,
  type SigningKey,
} from '@mission-control/auth';
import type { EventBusKind, EventTransport } from '@mission-control/eventing';
import { PlatformModule } from '@mission-control/platform';
import type { DomainEventType, EventInit } from '@mission-control/proto';
import { RelayRecords, testRunId } from '@mission-control/testing';
import { EdgeAuthenticator } from '../../src/auth/edge-authenticator';
import { Revocations } from '../../src/auth/revocations';
import type { LiveEvent } from '../../src/live/live-event';
import { LiveModule } from '../../src/live/live.module';
import { LivePush } from '../../src/live/live-push.service';

const AUTH = { issuer: 'mission-control', audience: 'mission-control' };

const REPLAY_WINDOW_MS = 10 * 60_000;

/** Access tokens the live gateway under test accepts. */
export class LiveAuth {
  readonly issuer: AccessTokenIssuer;
  readonly verifier: AccessTokenVerifier;

  private constructor(private readonly key: SigningKey) {
    this.issuer = this.issuerWithTtl();
    this.verifier = new AccessTokenVerifier({ jwks: this.issuer.jwks(), ...AUTH });
  }

  /** What one gateway replica checks tokens with: revocations are each replica's own. */
  authenticator(): EdgeAuthenticator {
    return new EdgeAuthenticator(this.verifier, new Revocations({ windowMs: REPLAY_WINDOW_MS }));
  }

  static async create(): Promise<LiveAuth> {
    return new LiveAuth(await generateSigningKey());
  }

  /** An issuer of the same key, e.g. of tokens that expire within the test. */
  issuerWithTtl(ttlSeconds?: number): AccessTokenIssuer {
    return new AccessTokenIssuer({ key: this.key, ...AUTH, ttlSeconds });
  }

  async tokenFor(
    workspaceId: string,
    role: Role,
    subject = `user-${role}`,
    sessionId?: string,
  ): Promise<string> {
    const principal: Principal = {
      kind: 'user',
      subject,
      workspaceId,
      role,
      scopes: null,
      ...(sessionId ? { sessionId } : {}),
    };
    return (await this.issuer.issue(principal)).token;
  }
}

export type LiveGateway = {
  app: INestApplication;
  url: string;
  push: LivePush;
  authenticator: EdgeAuthenticator;
};

/** The gateway's live push alone (with /ready), listening on a free port. */
export async function startLiveGateway(options: {
  bus: EventBusKind;
  brokers: string[];
  topics: string[];
  auth: LiveAuth;
}): Promise<LiveGateway> {
  const authenticator = options.auth.authenticator();
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'gateway',
        logLevel: 'silent',
        imports: [
          LiveModule.forRoot({
            bus: options.bus,
            brokers: options.brokers,
            clientId: `${testRunId()}-gateway`,
            topics: options.topics,
            bufferSize: 10_000,
            replayWindowMs: REPLAY_WINDOW_MS,
            corsOrigins: [],
            authenticate: (authorization) => authenticator.authenticateAccess(authorization),
            revocations: authenticator.revocations,
          }),
        ],
        readiness: { inject: [LivePush], useFactory: (push: LivePush) => [push.readiness()] },
      }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: await app.getUrl(), push: app.get(LivePush), authenticator };
}

/** Publishes domain events as a service's relay would, numbering each stream's versions. */
export class LiveEventPublisher {
  private readonly records = new RelayRecords('mission');

  constructor(
    private readonly transport: EventTransport,
    private readonly topic: string,
  ) {}

  async publish<T extends DomainEventType>(
    type: T,
    workspaceId: string,
    subject: string,
    data: EventInit<T>,
    to = this.topic,
  ): Promise<void> {
    const record = this.records.next({ workspaceId, subject, type, data });
    await this.transport.publish([{ topic: to, ...record }]);
  }
}

export type Listener = { socket: Socket; events: LiveEvent[]; ready: Promise<string> };

/** socket.io clients of the live push, all disconnected by `closeAll`. */
export class LiveSockets {
  private readonly sockets: Socket[] = [];

  connect(url: string, token: string, after?: string, watch?: unknown): Listener {
    const socket = io(url, {
      path: '/socket.io',
      transports: ['websocket'],
      auth: { token, ...(after ? { after } : {}), ...(watch === undefined ? {} : { watch }) },
      reconnection: false,
    });
    this.sockets.push(socket);
    const events: LiveEvent[] = [];
    socket.on('event', (event: LiveEvent) => events.push(event));
    const ready = new Promise<string>((resolve, reject) => {
      socket.on('ready', (state: { position: string }) => resolve(state.position));
      socket.on('connect_error', (error: Error & { data?: unknown }) =>
        reject(Object.assign(new Error(error.message), { data: error.data })),
      );
    });
    return { socket, events, ready };
  }

  closeAll(): void {
    this.sockets.forEach((socket) => socket.disconnect());
  }
}
