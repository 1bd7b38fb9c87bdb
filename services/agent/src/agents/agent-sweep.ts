import { Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { AgentCommand } from './agent.commands';
import { agentDecider, agentStreamId } from './agent.decider';
import type { AgentProjection } from './agent.projection';
import type { AggregateRunner, Tx } from '../eventing/agent-event-store';

const BATCH = 100;

/** An agent a sweep found due, and the command it gets. */
export type SweptAgent = { id: string; command: AgentCommand };

/**
 * Work that every replica does on a timer over agents that are due (silent, expired…): each
 * batch is row-locked by its query (others skip those rows) and its commands' events are appended
 * in the same transaction, so each change is recorded once, however many replicas sweep and
 * whenever one of them crashed. A slow sweep is not stacked on by the next tick.
 */
export abstract class AgentSweep implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(this.constructor.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  protected constructor(
    private readonly runner: AggregateRunner,
    private readonly projection: AgentProjection,
    private readonly intervalMs: number,
  ) {}

  /** Up to `limit` due agents, locked (FOR UPDATE SKIP LOCKED), each with its command. */
  protected abstract lockDue(tx: Tx, limit: number): Promise<SweptAgent[]>;

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (!this.running) {
        void this.sweep().catch((error: unknown) =>
          this.logger.error({ err: error }, 'Sweep failed'),
        );
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Sweeps every due agent; returns how many it changed. */
  sweep(): Promise<number> {
    const run = this.sweepAll().finally(() => {
      if (this.running === run) {
        this.running = undefined;
      }
    });
    this.running = run;
    return run;
  }

  private async sweepAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const batch = await this.runner.transaction(async (tx) => {
        const due = await this.lockDue(tx, BATCH);
        let changed = 0;
        for (const { id, command } of due) {
          const decided = await this.runner.execute(tx, agentDecider, agentStreamId(id), command);
          await this.projection.apply(tx, decided.events, decided.stored);
          changed += decided.events.length > 0 ? 1 : 0;
        }
        return { found: due.length, changed };
      });
      total += batch.changed;
      if (batch.found < BATCH) {
        return total;
      }
    }
  }
}
