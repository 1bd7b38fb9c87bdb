import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { markAgentOffline } from '../agents/agent.commands';
import { agentDecider, agentStreamId } from '../agents/agent.decider';
import { AgentProjection } from '../agents/agent.projection';
import { AgentsRepository } from '../agents/agents.repository';
import { AggregateRunner } from '../eventing/agent-event-store';
import { PRESENCE_SETTINGS, type PresenceSettings } from './presence.settings';

const BATCH = 100;
const SWEEPER = { kind: 'system', id: 'agent-presence-sweeper' } as const;

/**
 * Presence from heartbeat expiry, computed here and nowhere else: every replica sweeps on a timer;
 * the agents a sweep marks offline are row-locked (others skip them) and their AgentStatusChanged
 * events are appended in the same transaction, so each transition is recorded once.
 */
@Injectable()
export class PresenceSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(PresenceSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly runner: AggregateRunner,
    private readonly agents: AgentsRepository,
    private readonly projection: AgentProjection,
    @Inject(PRESENCE_SETTINGS) private readonly settings: PresenceSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      // A slow sweep is not stacked on by the next tick.
      if (!this.running) {
        void this.sweep().catch((error: unknown) =>
          this.logger.error({ err: error }, 'Presence sweep failed'),
        );
      }
    }, this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Marks silent agents offline; returns how many it marked. */
  sweep(): Promise<number> {
    const run = this.sweepOnce().finally(() => {
      if (this.running === run) {
        this.running = undefined;
      }
    });
    this.running = run;
    return run;
  }

  private async sweepOnce(): Promise<number> {
    let total = 0;
    for (;;) {
      const marked = await this.runner.transaction(async (tx) => {
        const silent = await this.agents.lockSilent(tx, this.settings.offlineAfterSeconds, BATCH);
        let count = 0;
        for (const agent of silent) {
          const decided = await this.runner.execute(
            tx,
            agentDecider,
            agentStreamId(agent.id),
            markAgentOffline({
              workspaceId: agent.workspaceId,
              actor: SWEEPER,
              data: { agentId: agent.id },
            }),
          );
          await this.projection.apply(tx, decided.events, decided.stored);
          count += decided.events.length;
        }
        return { found: silent.length, count };
      });
      total += marked.count;
      if (marked.found < BATCH) {
        return total;
      }
    }
  }
}
