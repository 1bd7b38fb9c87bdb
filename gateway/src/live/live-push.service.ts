import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server as HttpServer } from 'node:http';
import { Kafka, logLevel } from 'kafkajs';
import { PinoLogger } from 'nestjs-pino';
import { processEventBus, type EventBusKind } from '@mission-control/eventing';
import type { ReadinessCheck } from '@mission-control/platform';
import type { Revocations } from '../auth/revocations';
import { InProcessLiveSource } from './in-process-live-source';
import { KafkaLiveSource } from './kafka-live-source';
import { LiveFeed } from './live-feed';
import type { LiveSource } from './live-source';
import { LiveSocketServer, type LiveAuthenticate } from './live-socket.server';
import { LiveSubscriptionServer } from './live-subscriptions.server';

export const LIVE_OPTIONS = Symbol('LIVE_OPTIONS');

export type LiveOptions = {
  /** Kafka, or the in-process bus the services of this process publish to (standalone mode). */
  bus: EventBusKind;
  /** Used by the Kafka bus only. */
  brokers: string[];
  clientId: string;
  /** The domain event topics pushed to clients, e.g. `mission.events.v1`. */
  topics: string[];
  /** Events kept per replica for reconnecting clients, and how far back a replica starts. */
  bufferSize: number;
  replayWindowMs: number;
  corsOrigins: string[];
  authenticate: LiveAuthenticate;
  /** Fed from the same events; open connections whose access is taken away are closed. */
  revocations: Revocations;
};

/** Live push: the event topics (Kafka or the in-process bus) → LiveFeed → socket.io rooms and graphql-ws subscriptions. */
@Injectable()
export class LivePush implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly feed: LiveFeed;
  private readonly source: LiveSource;
  readonly sockets: LiveSocketServer;
  private readonly subscriptions: LiveSubscriptionServer;

  constructor(
    @Inject(LIVE_OPTIONS) private readonly options: LiveOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: PinoLogger,
  ) {
    this.feed = new LiveFeed({ bufferSize: options.bufferSize });
    const { revocations } = options;
    // Registered before any connection listens: access is taken away before the event is pushed.
    this.feed.listen((event) => revocations.apply(event));
    const source = {
      topics: options.topics,
      groupPrefix: `${options.clientId}.live`,
      replayWindowMs: options.replayWindowMs,
      coveredFrom: (epochMs: number) => revocations.coverFrom(epochMs),
      logger,
    };
    this.source =
      options.bus === 'in-process'
        ? new InProcessLiveSource(this.feed, { ...source, bus: processEventBus() })
        : new KafkaLiveSource(this.feed, {
            ...source,
            kafka: new Kafka({
              clientId: options.clientId,
              brokers: options.brokers,
              logLevel: logLevel.NOTHING,
            }),
          });
    this.sockets = new LiveSocketServer(this.feed, options.authenticate, revocations);
    this.subscriptions = new LiveSubscriptionServer(this.feed, options.authenticate, revocations);
  }

  async onApplicationBootstrap(): Promise<void> {
    const server = this.adapterHost.httpAdapter.getHttpServer() as HttpServer;
    this.sockets.attach(server, { corsOrigins: this.options.corsOrigins });
    this.subscriptions.attach(server);
    await this.source.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sockets.close();
    await this.subscriptions.close();
    await this.source.stop();
  }

  readiness(): ReadinessCheck {
    return {
      name: 'live',
      check: () =>
        this.source.isReady
          ? Promise.resolve()
          : Promise.reject(new Error('live push has not caught up with the event stream yet')),
    };
  }
}
