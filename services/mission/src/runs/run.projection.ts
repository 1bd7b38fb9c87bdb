import { Injectable } from '@nestjs/common';
import { assertNever, type StoredEvent } from '@mission-control/eventing';
import type { Tx } from '../eventing/mission-event-store';
import { fromProtoBilling, fromProtoOutcome, fromProtoStream, type RunEvent } from './run.decider';
import { missionV1 } from '@mission-control/proto';
import { RunsRepository, type RunRecord } from './runs.repository';

type RunStarted = Extract<RunEvent, { type: 'mission.v1.RunStarted' }>;

/** The row a run's first event makes: what the projection writes, and the answer to its agent. */
export function startedRun(event: RunStarted, stored: StoredEvent): RunRecord {
  const { data } = event;
  return {
    id: data.runId,
    workspaceId: data.workspaceId,
    missionId: data.missionId,
    agentId: data.agentId,
    adapter: data.adapter,
    model: data.model,
    provider: data.provider,
    billing: fromProtoBilling(data.billing),
    status: 'running',
    summary: '',
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    costMicroUsd: 0,
    unpricedReports: 0,
    logLines: 0,
    budgetId: null,
    progressNote: '',
    progressPercent: null,
    claimEpoch: Number(data.claimEpoch),
    startedAt: stored.recordedAt,
    finishedAt: null,
    updatedAt: stored.recordedAt,
    version: stored.version,
  };
}

/** Keeps the run read tables in step with run streams, on the append's transaction. */
@Injectable()
export class RunProjection {
  constructor(private readonly runs: RunsRepository) {}

  /** `stored[i]` is the stored copy of `events[i]`. */
  async apply(tx: Tx, events: readonly RunEvent[], stored: readonly StoredEvent[]): Promise<void> {
    for (const [index, event] of events.entries()) {
      const record = stored[index];
      if (!record) {
        throw new Error('Every projected event needs its stored copy');
      }
      await this.applyOne(tx, event, record);
    }
  }

  private async applyOne(tx: Tx, event: RunEvent, stored: StoredEvent): Promise<void> {
    const { version, recordedAt: at } = stored;
    switch (event.type) {
      case 'mission.v1.RunStarted':
        return this.runs.insert(tx, startedRun(event, stored));
      case 'mission.v1.RunLogAppended':
        return this.runs.appendLines(
          tx,
          event.data.runId,
          event.data.lines.map((line) => ({
            position: Number(line.position),
            stream: fromProtoStream(line.stream),
            text: line.text,
          })),
          at,
          version,
        );
      case 'mission.v1.RunUsageReported':
        return this.runs.addUsage(
          tx,
          event.data.runId,
          {
            inputTokens: event.data.inputTokens,
            outputTokens: event.data.outputTokens,
            cachedInputTokens: event.data.cachedInputTokens,
            costMicroUsd: event.data.costMicroUsd,
            unpriced: event.data.costSource === missionV1.CostSource.UNPRICED,
          },
          at,
          version,
        );
      case 'mission.v1.RunProgressNoted':
        return this.runs.noteProgress(
          tx,
          event.data.runId,
          event.data.note,
          event.data.percent ?? null,
          at,
          version,
        );
      case 'mission.v1.RunFinished':
        return this.runs.finish(
          tx,
          event.data.runId,
          fromProtoOutcome(event.data.outcome),
          event.data.summary,
          event.data.budgetId || null,
          at,
          version,
        );
      default:
        return assertNever(event, 'event');
    }
  }
}
