import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { BudgetStops } from '../budgets/budget-stops.service';
import { IdempotencyService } from '../idempotency/idempotency.service';
import { LEASE_SETTINGS, type LeaseSettings } from './lease-settings';
import { LeasesService } from './leases.service';

/** Claims ended per transaction. */
const SWEEP_BATCH = 100;

/**
 * Ends claims whose lease ran out, every MISSION_LEASE_SWEEP_SECONDS on every replica (they skip
 * each other's rows), and once at start, so runs left by a crash are reconciled at once. Each
 * round also cancels runs still going under a stopped budget, and forgets day-old idempotency keys.
 */
@Injectable()
export class LeaseSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    private readonly leases: LeasesService,
    private readonly budgetStops: BudgetStops,
    private readonly idempotency: IdempotencyService,
    @Inject(LEASE_SETTINGS) private readonly settings: LeaseSettings,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(LeaseSweeper.name);
  }

  onApplicationBootstrap(): void {
    void this.tick();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private async tick(): Promise<void> {
    try {
      // A full batch means more are waiting: go on at once.
      while (!this.stopped && (await this.leases.sweep(SWEEP_BATCH)) >= SWEEP_BATCH) {
        // keep sweeping
      }
    } catch (error) {
      this.logger.warn({ err: error }, 'ending expired claims failed; trying again next sweep');
    }
    try {
      await this.budgetStops.sweep();
      await this.idempotency.forgetOld(SWEEP_BATCH * 10);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'budget stops or key expiry failed; trying again next sweep',
      );
    }
    if (!this.stopped) {
      this.timer = setTimeout(() => void this.tick(), this.settings.sweepSeconds * 1_000);
      this.timer.unref();
    }
  }
}
