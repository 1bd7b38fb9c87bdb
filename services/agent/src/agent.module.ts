import { type DynamicModule, Module } from '@nestjs/common';
import { topicConsumerProvider } from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { DATABASE_SCHEMA, PrismaService } from './database/prisma.service';
import type { AgentConfig } from './agent.config';
import { AgentProjection } from './agents/agent.projection';
import { AgentsRepository } from './agents/agents.repository';
import { AgentsResolver } from './agents/agents.resolver';
import { AgentsService } from './agents/agents.service';
import { HeartbeatLimiterRepository } from './presence/heartbeat-limiter.repository';
import { HeartbeatsService } from './presence/heartbeats.service';
import { PRESENCE_SETTINGS, type PresenceSettings } from './presence/presence.settings';
import { PresenceSweeper } from './presence/presence.sweeper';
import { MissionWakeEventsController } from './wake/mission-wake-events.controller';
import { WakeDeliveriesRepository } from './wake/wake-deliveries.repository';
import { WakeDeliveryWorker } from './wake/wake-delivery.worker';
import { WakeHooksRepository } from './wake/wake-hooks.repository';
import { WakeHooksResolver } from './wake/wake-hooks.resolver';
import { WakeHooksService } from './wake/wake-hooks.service';
import { WakeService } from './wake/wake.service';
import { WAKE_SETTINGS, type WakeSettings } from './wake/wake.settings';
import { HostProjection } from './hosts/host.projection';
import { HostSampleLimiterRepository } from './hosts/host-sample-limiter.repository';
import { HOST_SETTINGS, type HostSettings } from './hosts/host.settings';
import { AgentHostResolver, HostsResolver } from './hosts/hosts.resolver';
import { HostsRepository } from './hosts/hosts.repository';
import { HostsService } from './hosts/hosts.service';
import { SUB_AGENT_SETTINGS, type SubAgentSettings } from './sub-agents/sub-agent.settings';
import { SubAgentsResolver } from './sub-agents/sub-agents.resolver';
import { SubAgentsService } from './sub-agents/sub-agents.service';
import { SubAgentsSweeper } from './sub-agents/sub-agents.sweeper';

/**
 * The agent registry, heartbeats, presence, wake URLs with the wakes sent to them, the runtime
 * hosts agents run on, and sub-agents.
 */
@Module({})
export class AgentModule {
  static forRoot(config: AgentConfig): DynamicModule {
    const presence: PresenceSettings = {
      heartbeatsPerMinute: config.AGENT_HEARTBEATS_PER_MINUTE,
      offlineAfterSeconds: config.AGENT_OFFLINE_AFTER_SECONDS,
      sweepIntervalMs: config.AGENT_PRESENCE_SWEEP_INTERVAL_MS,
    };
    const wake: WakeSettings = {
      allowPrivateUrls: config.AGENT_WAKE_ALLOW_PRIVATE_URLS ?? config.NODE_ENV !== 'production',
      timeoutMs: config.AGENT_WAKE_TIMEOUT_MS,
      retry: {
        maxAttempts: config.AGENT_WAKE_MAX_ATTEMPTS,
        baseDelayMs: config.AGENT_WAKE_RETRY_BASE_MS,
        maxDelayMs: config.AGENT_WAKE_RETRY_MAX_MS,
        jitter: 0.2,
      },
      minIntervalMs: config.AGENT_WAKE_MIN_INTERVAL_MS,
      pollIntervalMs: config.AGENT_WAKE_POLL_INTERVAL_MS,
      retentionMs: config.AGENT_WAKE_RETENTION_HOURS * 3_600_000,
    };
    const hosts: HostSettings = {
      offlineAfterSeconds: config.AGENT_HOST_OFFLINE_AFTER_SECONDS,
      samplesPerMinute: config.AGENT_HOST_SAMPLES_PER_MINUTE,
    };
    const subAgents: SubAgentSettings = {
      maxTtlSeconds: config.AGENT_SUB_AGENT_MAX_TTL_SECONDS,
      maxLiveChildren: config.AGENT_SUB_AGENT_MAX_LIVE,
      sweepIntervalMs: config.AGENT_SUB_AGENT_SWEEP_INTERVAL_MS,
    };
    return {
      module: AgentModule,
      // Started with startEventHandlers(app): the mission events that wake agents.
      controllers: [MissionWakeEventsController],
      providers: [
        topicConsumerProvider(
          'agent',
          {
            bus: config.EVENT_BUS,
            brokers: config.KAFKA_BROKERS,
            clientId: config.KAFKA_CLIENT_ID ?? 'agent',
            topic: config.MISSION_EVENTS_TOPIC,
          },
          {
            schema: DATABASE_SCHEMA,
            prisma: PrismaService,
            logger: nestFieldsLogger('MissionWakeConsumer'),
          },
        ),
        { provide: PRESENCE_SETTINGS, useValue: presence },
        { provide: WAKE_SETTINGS, useValue: wake },
        WakeHooksRepository,
        WakeDeliveriesRepository,
        WakeHooksService,
        WakeDeliveryWorker,
        WakeService,
        WakeHooksResolver,
        AgentsRepository,
        AgentProjection,
        AgentsService,
        HeartbeatLimiterRepository,
        HeartbeatsService,
        PresenceSweeper,
        AgentsResolver,
        { provide: HOST_SETTINGS, useValue: hosts },
        HostsRepository,
        HostSampleLimiterRepository,
        HostProjection,
        HostsService,
        HostsResolver,
        AgentHostResolver,
        { provide: SUB_AGENT_SETTINGS, useValue: subAgents },
        SubAgentsService,
        SubAgentsSweeper,
        SubAgentsResolver,
      ],
    };
  }
}
