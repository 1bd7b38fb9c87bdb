import { missionV1, type DomainEvent } from '@mission-control/proto';
import { assertNever } from '../common/board-column';
import {
  AGENT_RESPONSE_MEASUREMENT,
  AGENT_RUN_MEASUREMENT,
  pointTimestamp,
  type MetricPoint,
} from '../metrics/metric-points';
import type { Billing } from '../metrics/agent-runs';
import { ALREADY_APPLIED, type EventMeta } from './event-meta';

/** The run events the metrics need: all of a run's stream. */
export type RunEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.RunStarted'
      | 'mission.v1.RunLogAppended'
      | 'mission.v1.RunUsageReported'
      | 'mission.v1.RunFinished';
  }
>;

/** What the projections know of a run after the events they applied. */
export type RunState = {
  runId: string;
  workspaceId: string;
  missionId: string;
  agentId: string;
  billing: Billing;
  /** The mission's claim the run works under; 0 for runs recorded before claims had epochs. */
  claimEpoch: number;
  startedAt: Date;
  /** When its first log line was appended. */
  firstLogAt: Date | null;
  version: number;
};

export type RunChange = {
  state: RunState;
  points: MetricPoint[];
  /** Set by the event that appended the run's first log line: its time. */
  firstOutputAt: Date | null;
};

const { Billing: ProtoBilling, CostSource, RunOutcome } = missionV1;

export function billingOf(billing: missionV1.Billing): Billing {
  switch (billing) {
    case ProtoBilling.SUBSCRIPTION:
      return 'subscription';
    // Unspecified is what a run started without saying gets: metered, as the mission service has it.
    case ProtoBilling.UNSPECIFIED:
    case ProtoBilling.METERED:
      return 'metered';
    default:
      return assertNever(billing);
  }
}

/** Token counts are int64 on the wire; a sum of them stays exact as a double below 2^53. */
const count = (value: bigint): number => Number(value);

function runPoint(state: RunState, meta: EventMeta, fields: MetricPoint['fields']): MetricPoint {
  return {
    measurement: AGENT_RUN_MEASUREMENT,
    tags: {
      workspace_id: state.workspaceId,
      agent_id: state.agentId,
      run_id: state.runId,
      billing: state.billing,
    },
    fields,
    timestamp: pointTimestamp(meta.time, meta.version),
  };
}

/** A run event applied to the state it found: the new state and the points to write. */
export function evolveRun(
  state: RunState | null,
  event: RunEvent,
  meta: EventMeta,
): RunChange | typeof ALREADY_APPLIED {
  if (state !== null && meta.version <= state.version) {
    return ALREADY_APPLIED;
  }
  if (event.type === 'mission.v1.RunStarted') {
    const { data } = event;
    const started: RunState = {
      runId: data.runId,
      workspaceId: data.workspaceId || meta.workspaceId,
      missionId: data.missionId,
      agentId: data.agentId,
      billing: billingOf(data.billing),
      claimEpoch: Number(data.claimEpoch),
      startedAt: meta.time,
      firstLogAt: null,
      version: meta.version,
    };
    return {
      state: started,
      points: [runPoint(started, meta, { started: 1 })],
      firstOutputAt: null,
    };
  }
  if (state === null) {
    // Per-stream order is Kafka's guarantee: a later event without its start is a broken stream.
    throw new Error(`${event.type} for run ${event.data.runId} before its RunStarted`);
  }
  const next: RunState = { ...state, version: meta.version };
  switch (event.type) {
    case 'mission.v1.RunLogAppended': {
      if (state.firstLogAt !== null || event.data.lines.length === 0) {
        return { state: next, points: [], firstOutputAt: null };
      }
      next.firstLogAt = meta.time;
      return { state: next, points: [], firstOutputAt: meta.time };
    }
    case 'mission.v1.RunUsageReported': {
      const { data } = event;
      return {
        state: next,
        points: [
          runPoint(next, meta, {
            input_tokens: count(data.inputTokens),
            output_tokens: count(data.outputTokens),
            cached_input_tokens: count(data.cachedInputTokens),
            cost_micro_usd: count(data.costMicroUsd),
            unpriced_reports: data.costSource === CostSource.UNPRICED ? 1 : 0,
          }),
        ],
        firstOutputAt: null,
      };
    }
    case 'mission.v1.RunFinished':
      return {
        state: next,
        points: [
          runPoint(next, meta, {
            finished: 1,
            succeeded: event.data.outcome === RunOutcome.SUCCEEDED ? 1 : 0,
            duration_seconds: Math.max(0, meta.time.getTime() - state.startedAt.getTime()) / 1_000,
          }),
        ],
        firstOutputAt: null,
      };
    default: {
      const unexpected: never = event;
      throw new Error(`Unhandled run event ${(unexpected as { type: string }).type}`);
    }
  }
}

/**
 * One claim of a mission (its epoch) and how fast its agent answered: assigned, claimed, and the
 * first log line of the runs under it. The claim comes from the mission's stream and the log
 * from the runs' streams, which Kafka does not order against each other: whichever arrives
 * second completes the record, so the point written last is the same in any order.
 */
export type ClaimState = {
  missionId: string;
  epoch: number;
  workspaceId: string;
  /** Null until the claim itself is seen. */
  agentId: string | null;
  assignedAt: Date | null;
  claimedAt: Date | null;
  /** The mission stream version of the claim: with claimedAt, the point's timestamp. */
  claimVersion: number | null;
  /** The earliest first log line of the claim's runs. */
  firstOutputAt: Date | null;
};

export const claimKey = (missionId: string, epoch: number): string => `${missionId}#${epoch}`;

/** What a MissionClaimed tells of its claim. */
export type Claimed = {
  missionId: string;
  epoch: number;
  workspaceId: string;
  agentId: string;
  /** When the mission was assigned to that agent; null when the projections never saw it. */
  assignedAt: Date | null;
  at: Date;
  version: number;
};

export type ClaimChange = { state: ClaimState; points: MetricPoint[] };

const seconds = (from: Date, to: Date): number =>
  Math.max(0, to.getTime() - from.getTime()) / 1_000;

/** The claim's response point, once the claim is known: the fields known so far. */
export function responsePoints(claim: ClaimState): MetricPoint[] {
  if (claim.agentId === null || claim.claimedAt === null || claim.claimVersion === null) {
    return [];
  }
  const fields: Record<string, number> = {};
  if (claim.assignedAt !== null) {
    fields.claim_seconds = seconds(claim.assignedAt, claim.claimedAt);
  }
  if (claim.firstOutputAt !== null) {
    fields.first_output_seconds = seconds(claim.claimedAt, claim.firstOutputAt);
    if (claim.assignedAt !== null) {
      fields.response_seconds = seconds(claim.assignedAt, claim.firstOutputAt);
    }
  }
  if (Object.keys(fields).length === 0) {
    return [];
  }
  return [
    {
      measurement: AGENT_RESPONSE_MEASUREMENT,
      tags: {
        workspace_id: claim.workspaceId,
        agent_id: claim.agentId,
        mission_id: claim.missionId,
      },
      fields,
      timestamp: pointTimestamp(claim.claimedAt, claim.claimVersion),
    },
  ];
}

/** A claim seen on the mission's stream, joined with any first output its runs already had. */
export function claimSeen(state: ClaimState | null, claimed: Claimed): ClaimChange {
  const next: ClaimState = {
    missionId: claimed.missionId,
    epoch: claimed.epoch,
    workspaceId: claimed.workspaceId,
    agentId: claimed.agentId,
    assignedAt: claimed.assignedAt,
    claimedAt: claimed.at,
    claimVersion: claimed.version,
    firstOutputAt: state?.firstOutputAt ?? null,
  };
  return { state: next, points: responsePoints(next) };
}

/**
 * A run's first log line, for the claim it works under; null when it changes nothing (an
 * earlier line of another run of the claim is already known).
 */
export function firstOutputSeen(
  state: ClaimState | null,
  run: RunState,
  at: Date,
): ClaimChange | null {
  if (state?.firstOutputAt && state.firstOutputAt.getTime() <= at.getTime()) {
    return null;
  }
  const next: ClaimState = state
    ? { ...state, firstOutputAt: at }
    : {
        missionId: run.missionId,
        epoch: run.claimEpoch,
        workspaceId: run.workspaceId,
        agentId: null,
        assignedAt: null,
        claimedAt: null,
        claimVersion: null,
        firstOutputAt: at,
      };
  return { state: next, points: responsePoints(next) };
}
