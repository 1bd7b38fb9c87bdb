import { Inject, Injectable } from '@nestjs/common';
import { isId } from '@mission-control/eventing';
import type { Actor } from '@mission-control/proto';
import { AGENT_STATUSES } from '../agents/agent-status';
import type { Tx } from '../eventing/agent-event-store';
import { WakeDeliveriesRepository } from './wake-deliveries.repository';
import { WakeDeliveryWorker } from './wake-delivery.worker';
import { WAKE_SETTINGS, type WakeSettings } from './wake.settings';
import { wakeOfMissionEvent, wakes, type MissionWakeEvent } from './wake-targets';

// A commit takes a moment: the worker looks shortly after, and on its timer anyway.
const NUDGE_AFTER_MS = 50;

/** Turns mission events into queued wakes for the agents that have a wake URL. */
@Injectable()
export class WakeService {
  constructor(
    private readonly deliveries: WakeDeliveriesRepository,
    private readonly worker: WakeDeliveryWorker,
    @Inject(WAKE_SETTINGS) private readonly settings: WakeSettings,
  ) {}

  async onMissionEvent(
    tx: Tx,
    { workspaceId, actor }: { workspaceId: string; actor: Actor },
    event: MissionWakeEvent,
  ): Promise<void> {
    const target = wakeOfMissionEvent(event, actor);
    // Missions assigned before assignees were checked may name an agent by any string.
    if (!target || !isId(workspaceId) || (target.agentId !== null && !isId(target.agentId))) {
      return;
    }
    const { agentId, wake } = target;
    const queued = await this.deliveries.enqueue(tx, {
      workspaceId,
      agentIds: agentId === null ? null : [agentId],
      statuses: AGENT_STATUSES.filter((status) => wakes(wake.reason, status)),
      reason: wake.reason,
      missionId: wake.missionId,
      minIntervalMs: this.settings.minIntervalMs,
    });
    if (queued > 0) {
      setTimeout(() => this.worker.nudge(), NUDGE_AFTER_MS).unref();
    }
  }
}
