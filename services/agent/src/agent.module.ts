import { type DynamicModule, Module } from '@nestjs/common';
import type { AgentConfig } from './agent.config';
import { AgentProjection } from './agents/agent.projection';
import { AgentsRepository } from './agents/agents.repository';
import { AgentsResolver } from './agents/agents.resolver';
import { AgentsService } from './agents/agents.service';
import { HeartbeatLimiterRepository } from './presence/heartbeat-limiter.repository';
import { HeartbeatsService } from './presence/heartbeats.service';
import { PRESENCE_SETTINGS, type PresenceSettings } from './presence/presence.settings';
import { PresenceSweeper } from './presence/presence.sweeper';

/** The agent registry, heartbeats and presence. */
@Module({})
export class AgentModule {
  static forRoot(config: AgentConfig): DynamicModule {
    const presence: PresenceSettings = {
      heartbeatsPerMinute: config.AGENT_HEARTBEATS_PER_MINUTE,
      offlineAfterSeconds: config.AGENT_OFFLINE_AFTER_SECONDS,
      sweepIntervalMs: config.AGENT_PRESENCE_SWEEP_INTERVAL_MS,
    };
    return {
      module: AgentModule,
      providers: [
        { provide: PRESENCE_SETTINGS, useValue: presence },
        AgentsRepository,
        AgentProjection,
        AgentsService,
        HeartbeatLimiterRepository,
        HeartbeatsService,
        PresenceSweeper,
        AgentsResolver,
      ],
    };
  }
}
