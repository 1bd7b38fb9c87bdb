import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { type EventTransport, KafkaTransport, silentLogger } from '@mission-control/eventing';
import {
  createEnvelope,
  encodeEvent,
  eventSource,
  toKafkaHeaders,
  type DomainEventType,
  type EventInit,
} from '@mission-control/proto';
import { SubgraphClient, testRunId } from '@mission-control/testing';
import { Kafka, logLevel } from 'kafkajs';
import { analyticsConfigSchema, type AnalyticsConfig } from '../src/analytics.config';
import { ProjectionsRunner } from '../src/projections/projections.runner';
import { SearchIndex } from '../src/search/search-index.port';
export { errorCode, type GraphQLBody, type GraphQLError } from '@mission-control/testing';

/** Shared with "the gateway" of these tests: signs the principal header as the gateway does. */
export const INTERNAL_SECRET = 'analytics-spec-internal-secret-0123456789abcdef';

/** Topic and consumer names of one spec: its own, so specs of a run never share a stream. */
export type SpecStreams = { agentTopic: string; missionTopic: string; consumerGroup: string };

export const specStreams = (spec: string): SpecStreams => ({
  agentTopic: `${testRunId()}.${spec}.agent.events.v1`,
  missionTopic: `${testRunId()}.${spec}.mission.events.v1`,
  consumerGroup: `${testRunId()}.${spec}.analytics`,
});

/** The service configuration for a test run: its own topics, index prefix and database. */
export function analyticsTestConfig(
  streams: SpecStreams,
  overrides: Record<string, string> = {},
): AnalyticsConfig {
  return loadConfig(analyticsConfigSchema, {
    ...process.env,
    LOG_LEVEL: 'silent',
    INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
    AGENT_EVENTS_TOPIC: streams.agentTopic,
    MISSION_EVENTS_TOPIC: streams.missionTopic,
    ANALYTICS_CONSUMER_GROUP: streams.consumerGroup,
    ...overrides,
  });
}

/** Calls the subgraph the way the gateway does, with this spec's internal secret. */
export class GatewayStandIn extends SubgraphClient {
  constructor(app: INestApplication) {
    super(app, INTERNAL_SECRET);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `check` passes (it throws until then) or the time is up, then fails with its error. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) {
        throw error;
      }
      await sleep(100);
    }
  }
}

/**
 * Waits until the app's live projections have applied everything published, then refreshes the
 * index of the configured engine so a search sees it now rather than at the next scheduled refresh.
 */
export async function settled(app: INestApplication, timeoutMs = 30_000): Promise<void> {
  const runner = app.get(ProjectionsRunner);
  await runner.started();
  await eventually(async () => {
    expect(await runner.lag()).toBe(0);
  }, timeoutMs);
  await app.get(SearchIndex).refresh();
}

export type PublishedRecord = {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
};

/**
 * Publishes domain events the way the producing services' relays do (CloudEvents headers, key =
 * stream id), with the times a spec chooses. Keeps every record so a spec can publish them again.
 */
export class EventPublisher {
  readonly published: PublishedRecord[] = [];
  private readonly versions = new Map<string, number>();
  private readonly transport: EventTransport;

  /** `transport`: another bus than Kafka at `brokers` (the in-process one, say). */
  constructor(brokers: string[], transport?: EventTransport) {
    this.transport =
      transport ??
      new KafkaTransport(
        new Kafka({ clientId: 'analytics-spec', brokers, logLevel: logLevel.NOTHING }),
        { logger: silentLogger },
      );
  }

  async publish<T extends DomainEventType>(
    topic: string,
    event: {
      streamId: string;
      workspaceId: string;
      type: T;
      data: EventInit<T>;
      time: Date;
    },
  ): Promise<PublishedRecord> {
    const version = (this.versions.get(event.streamId) ?? 0) + 1;
    this.versions.set(event.streamId, version);
    const envelope = createEnvelope({
      type: event.type,
      source: eventSource(topic.includes('agent') ? 'agent' : 'mission'),
      subject: event.streamId,
      workspaceId: event.workspaceId,
      actor: { kind: 'system', id: 'analytics-spec' },
      correlationId: randomUUID(),
      causationId: null,
      streamVersion: version,
      time: event.time,
    });
    const record = {
      topic,
      key: event.streamId,
      value: Buffer.from(encodeEvent(event.type, event.data)),
      headers: toKafkaHeaders(envelope),
    };
    await this.transport.publish([record]);
    this.published.push(record);
    return record;
  }

  /** Publishes records again as they were: what a relay re-publish or a redelivery looks like. */
  async republish(records: readonly PublishedRecord[]): Promise<void> {
    await this.transport.publish(records);
  }

  /** Creates the topics up front so a consumer that starts first finds them (Kafka only). */
  ensureTopics(topics: string[]): Promise<void> {
    return this.transport instanceof KafkaTransport
      ? this.transport.ensureTopics(topics)
      : Promise.resolve();
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}
