import { Injectable } from '@nestjs/common';
import type { ReceivedEvent } from '@mission-control/eventing';
import { readEvent } from '@mission-control/proto';
import { evolveAgent, type AgentEvent, type AgentState } from './agent-state';
import { ALREADY_APPLIED, metaOf, type EventMeta } from './event-meta';
import { hostUsagePoint } from './host-usage';
import {
  commentDocument,
  evolveMission,
  missionDocument,
  type CommentState,
  type MissionEvent,
  type MissionState,
} from './mission-state';
import type { ProjectionTx } from './projection-run';
import { ProjectionStateRepository } from './projection-state.repository';
import {
  claimSeen,
  evolveRun,
  firstOutputSeen,
  type ClaimState,
  type RunEvent,
  type RunState,
} from './run-state';

/**
 * Applies agent, mission and run events to the search documents and metric points, and to the
 * state they are built from; all of it lands in the run's transaction (see ProjectionPipeline).
 */
@Injectable()
export class AnalyticsProjection {
  constructor(private readonly states: ProjectionStateRepository) {}

  async apply(received: ReceivedEvent, tx: ProjectionTx): Promise<void> {
    const { envelope, event } = readEvent({
      envelope: received.envelope,
      payload: received.payload,
    });
    const meta = metaOf(envelope);
    switch (event.type) {
      case 'mission.v1.MissionCreated':
      case 'mission.v1.MissionMoved':
      case 'mission.v1.MissionAssigned':
      case 'mission.v1.MissionClaimed':
      case 'mission.v1.MissionReleased':
      case 'mission.v1.MissionUpdated':
      case 'mission.v1.CommentAdded':
        return this.applyMission(event, meta, tx);
      case 'mission.v1.RunStarted':
      case 'mission.v1.RunLogAppended':
      case 'mission.v1.RunUsageReported':
      case 'mission.v1.RunFinished':
        return this.applyRun(event, meta, tx);
      case 'agent.v1.AgentRegistered':
      case 'agent.v1.AgentStatusChanged':
        return this.applyAgent(event, meta, tx);
      case 'agent.v1.HostSampled':
        tx.run.point(hostUsagePoint(event, meta));
        return;
      default:
        // Profile, activation, key and host description events change nothing the metrics show
        // (the status moves with the AgentStatusChanged that follows), nor do other contexts'.
        return;
    }
  }

  private async applyMission(
    event: MissionEvent,
    meta: EventMeta,
    tx: ProjectionTx,
  ): Promise<void> {
    const { run } = tx;
    const change = evolveMission(await this.mission(tx, event.data.missionId), event, meta);
    if (change === ALREADY_APPLIED) {
      return;
    }
    run.changeMission(change.state);
    run.index(missionDocument(change.state));
    if (change.comment) {
      run.addComment(change.comment);
      run.index(commentDocument(change.state, change.comment));
    }
    if (change.reindexComments) {
      for (const comment of await this.comments(tx, change.state.missionId)) {
        run.index(commentDocument(change.state, comment));
      }
    }
    run.point(...change.points);
    if (change.claimed) {
      const { missionId, epoch } = change.claimed;
      const claim = claimSeen(await this.claim(tx, missionId, epoch), change.claimed);
      run.changeClaim(claim.state);
      run.point(...claim.points);
    }
  }

  private async applyRun(event: RunEvent, meta: EventMeta, tx: ProjectionTx): Promise<void> {
    const change = evolveRun(await this.run(tx, event.data.runId), event, meta);
    if (change === ALREADY_APPLIED) {
      return;
    }
    tx.run.changeRun(change.state);
    tx.run.point(...change.points);
    const { missionId, claimEpoch } = change.state;
    // Runs recorded before claims had epochs cannot be matched to their claim.
    if (change.firstOutputAt !== null && claimEpoch > 0) {
      const claim = firstOutputSeen(
        await this.claim(tx, missionId, claimEpoch),
        change.state,
        change.firstOutputAt,
      );
      if (claim) {
        tx.run.changeClaim(claim.state);
        tx.run.point(...claim.points);
      }
    }
  }

  private async applyAgent(event: AgentEvent, meta: EventMeta, tx: ProjectionTx): Promise<void> {
    const change = evolveAgent(await this.agent(tx, event.data.agentId), event, meta);
    if (change === ALREADY_APPLIED) {
      return;
    }
    tx.run.changeAgent(change.state);
    tx.run.point(...change.points);
  }

  private async mission(tx: ProjectionTx, missionId: string): Promise<MissionState | null> {
    const cached = tx.run.mission(missionId);
    if (cached !== undefined) {
      return cached;
    }
    const stored = await this.states.mission(tx.db, tx.run.consumer, missionId);
    tx.run.rememberMission(missionId, stored);
    return stored;
  }

  private async comments(tx: ProjectionTx, missionId: string): Promise<CommentState[]> {
    return (
      tx.run.comments(missionId) ??
      tx.run.rememberComments(
        missionId,
        await this.states.comments(tx.db, tx.run.consumer, missionId),
      )
    );
  }

  private async run(tx: ProjectionTx, runId: string): Promise<RunState | null> {
    const cached = tx.run.run(runId);
    if (cached !== undefined) {
      return cached;
    }
    const stored = await this.states.run(tx.db, tx.run.consumer, runId);
    tx.run.rememberRun(runId, stored);
    return stored;
  }

  private async claim(
    tx: ProjectionTx,
    missionId: string,
    epoch: number,
  ): Promise<ClaimState | null> {
    const cached = tx.run.claim(missionId, epoch);
    if (cached !== undefined) {
      return cached;
    }
    const stored = await this.states.claim(tx.db, tx.run.consumer, missionId, epoch);
    tx.run.rememberClaim(missionId, epoch, stored);
    return stored;
  }

  private async agent(tx: ProjectionTx, agentId: string): Promise<AgentState | null> {
    const cached = tx.run.agent(agentId);
    if (cached !== undefined) {
      return cached;
    }
    const stored = await this.states.agent(tx.db, tx.run.consumer, agentId);
    tx.run.rememberAgent(agentId, stored);
    return stored;
  }
}
