import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { endSubAgent } from '../agents/agent.commands';
import { agentDecider, agentStreamId } from '../agents/agent.decider';
import { AgentProjection } from '../agents/agent.projection';
import { AgentsRepository } from '../agents/agents.repository';
import { AggregateRunner } from '../eventing/agent-event-store';
import { SUB_AGENT_SETTINGS, SUB_AGENT_SWEEPER, type SubAgentSettings } from './sub-agent.settings';

const BATCH = 100;

/**
 * Ends sub-agents whose time to live ran out or whose parent stopped (deactivated, or offline):
 * every replica sweeps on a timer; the children a sweep ends are row-locked (others skip them) and
 * their events, the key's revocation among them, are appended in the same transaction, so each
 * child is ended once, however many replicas sweep and whenever one of them crashed.
 */
@Injectable()
export class SubAgentsSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(SubAgentsSweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly runner: AggregateRunner,
    private readonly agents: AgentsRepository,
    private readonly projection: AgentProjection,
    @Inject(SUB_AGENT_SETTINGS) private readonly settings: SubAgentSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) {
        void this.sweep().catch((error: unknown) =>
          this.logger.error({ err: error }, 'Sub-agent sweep failed'),
        );
      }
    }, this.settings.sweepIntervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Ends the sub-agents whose time is up; returns how many it ended. */
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
      const swept = await this.runner.transaction(async (tx) => {
        const endable = await this.agents.lockEndable(tx, BATCH);
        let ended = 0;
        for (const child of endable) {
          const decided = await this.runner.execute(
            tx,
            agentDecider,
            agentStreamId(child.id),
            endSubAgent({
              workspaceId: child.workspaceId,
              actor: SUB_AGENT_SWEEPER,
              data: { agentId: child.id, reason: child.expired ? 'expired' : 'parent_stopped' },
            }),
          );
          await this.projection.apply(tx, decided.events, decided.stored);
          ended += decided.events.length > 0 ? 1 : 0;
        }
        return { found: endable.length, ended };
      });
      total += swept.ended;
      if (swept.found < BATCH) {
        return total;
      }
    }
  }
}
