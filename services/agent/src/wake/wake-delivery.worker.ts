import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { judgeAttempt, sendWebhook, signWebhook } from '@mission-control/webhooks';
import { WakeDeliveriesRepository, type ClaimedDelivery } from './wake-deliveries.repository';
import { WAKE_SETTINGS, type WakeSettings } from './wake.settings';

const BATCH = 20;
// A claim outlives its POST by this much before another worker may take the delivery over.
const LEASE_MARGIN_MS = 5_000;
const PRUNE_EVERY_MS = 10 * 60_000;

/** The body of a wake POST (Standard Webhooks: `type`, `timestamp`, `data`). */
export type WakePayload = {
  type: 'agent.wake';
  timestamp: string;
  data: { workspaceId: string; agentId: string; reason: string; missionId: string };
};

export const webhookIdOf = (deliveryId: string): string => `wake_${deliveryId}`;

export const wakePayloadOf = (delivery: ClaimedDelivery): WakePayload => ({
  type: 'agent.wake',
  timestamp: new Date(delivery.wokenAt).toISOString(),
  data: {
    workspaceId: delivery.workspaceId,
    agentId: delivery.agentId,
    reason: delivery.reason,
    missionId: delivery.missionId,
  },
});

/**
 * Sends due wakes on every replica: claims a batch (rows other replicas hold are skipped), POSTs
 * each signed, then records delivered, a retry after the schedule's wait, or failed. A replica that
 * dies mid-POST leaves a claim that lapses, and the wake is sent again under the same webhook id.
 */
@Injectable()
export class WakeDeliveryWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(WakeDeliveryWorker.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = false;
  private lastPruneAt = 0;
  private failingSince: number | null = null;
  private lastFailureLogAt = 0;

  constructor(
    private readonly deliveries: WakeDeliveriesRepository,
    @Inject(WAKE_SETTINGS) private readonly settings: WakeSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.nudge(), this.settings.pollIntervalMs);
    this.timer.unref();
    this.nudge();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Looks for due wakes now (or once the pass in progress ends). */
  nudge(): void {
    if (this.stopped) {
      return;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    void this.drain().then(
      () => {
        this.failingSince = null;
      },
      (error: unknown) => {
        // While the database is away, once a minute is enough to say so.
        const now = Date.now();
        this.failingSince ??= now;
        if (now - this.lastFailureLogAt >= 60_000) {
          this.lastFailureLogAt = now;
          this.logger.error(
            { err: error, failingForMs: now - this.failingSince },
            'Wake delivery pass failed',
          );
        }
      },
    );
  }

  /** Sends every wake that is due; returns how many attempts it made. */
  drain(): Promise<number> {
    const run = this.drainOnce().finally(() => {
      if (this.running === run) {
        this.running = undefined;
      }
      if (this.again) {
        this.again = false;
        this.nudge();
      }
    });
    this.running = run;
    return run;
  }

  private async drainOnce(): Promise<number> {
    let attempts = 0;
    while (!this.stopped) {
      const claimed = await this.deliveries.claimDue(
        BATCH,
        this.settings.timeoutMs + LEASE_MARGIN_MS,
      );
      await Promise.all(claimed.map((delivery) => this.attempt(delivery)));
      attempts += claimed.length;
      if (claimed.length < BATCH) {
        break;
      }
    }
    if (Date.now() - this.lastPruneAt > PRUNE_EVERY_MS) {
      this.lastPruneAt = Date.now();
      await this.deliveries.prune(this.settings.retentionMs);
    }
    return attempts;
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    if (delivery.url === null || delivery.secret === null) {
      await this.deliveries.markCancelled(delivery);
      return;
    }
    const body = JSON.stringify(wakePayloadOf(delivery));
    const outcome = await sendWebhook({
      url: delivery.url,
      body,
      headers: signWebhook({
        secret: delivery.secret,
        id: webhookIdOf(delivery.id),
        timestamp: new Date(),
        body,
      }),
      timeoutMs: this.settings.timeoutMs,
      allowPrivate: this.settings.allowPrivateUrls,
      userAgent: 'mission-control-wake',
    });
    const verdict = judgeAttempt(outcome, delivery.attempts, this.settings.retry);
    const fields = {
      deliveryId: delivery.id,
      agentId: delivery.agentId,
      attempt: delivery.attempts,
    };
    switch (verdict.kind) {
      case 'delivered':
        await this.deliveries.markDelivered(delivery, verdict.status);
        return;
      case 'retry':
        this.logger.warn(
          { ...fields, error: verdict.error, retryInMs: verdict.delayMs },
          'Wake not delivered; retrying',
        );
        await this.deliveries.markRetrying(delivery, {
          delayMs: verdict.delayMs,
          statusCode: verdict.status,
          error: verdict.error,
        });
        return;
      case 'failed':
        this.logger.warn({ ...fields, error: verdict.error }, 'Wake failed');
        await this.deliveries.markFailed(delivery, {
          statusCode: verdict.status,
          error: verdict.error,
        });
        return;
      default:
        return verdict satisfies never;
    }
  }
}
