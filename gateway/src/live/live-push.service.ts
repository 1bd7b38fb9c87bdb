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
import type { ReadinessCheck } from '@mission-control/platform';
import { KafkaLiveSource } from './kafka-live-source';
import { LiveFeed } from './live-feed';
import { LiveSocketServer, type LiveAuthenticate } from './live-socket.server';
import { LiveSubscriptionServer } from './live-subscriptions.server';

export const LIVE_OPTIONS = Symbol('LIVE_OPTIONS');

export type LiveOptions = {
  brokers: string[];
  clientId: string;
  /** The domain event topics pushed to clients, e.g. `mission.events.v1`. */
  topics: string[];
  /** Events kept per replica for reconnecting clients, and how far back a replica starts. */
  bufferSize: number;
  replayWindowMs: number;
  corsOrigins: string[];
  authenticate: LiveAuthenticate;
};

/** Live push: the event topics → LiveFeed → socket.io rooms and graphql-ws subscriptions. */
@Injectable()
export class LivePush implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly feed: LiveFeed;
  private readonly source: KafkaLiveSource;
  readonly sockets: LiveSocketServer;
  private readonly subscriptions: LiveSubscriptionServer;

  constructor(
    @Inject(LIVE_OPTIONS) private readonly options: LiveOptions,
    private readonly adapterHost: HttpAdapterHost,
    private readonly logger: PinoLogger,
  ) {
    this.feed = new LiveFeed({ bufferSize: options.bufferSize });
    this.source = new KafkaLiveSource(this.feed, {
      kafka: new Kafka({
        clientId: options.clientId,
        brokers: options.brokers,
        logLevel: logLevel.NOTHING,
      }),
      topics: options.topics,
      groupPrefix: `${options.clientId}.live`,
      replayWindowMs: options.replayWindowMs,
      logger,
    });
    this.sockets = new LiveSocketServer(this.feed, options.authenticate);
    this.subscriptions = new LiveSubscriptionServer(this.feed, options.authenticate);
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
          : Promise.reject(new Error('live push is not consuming yet')),
    };
  }
}
