import { AppError, ErrorCode } from '@mission-control/errors';
import { assertNever, type Decider } from '@mission-control/eventing';
import { domainEvent, missionV1, type Actor, type DomainEvent } from '@mission-control/proto';
import type { Billing, CostSource, LogStream, RunCommand, RunOutcome } from './run.commands';

export type RunEvent = Extract<
  DomainEvent,
  {
    type:
      | 'mission.v1.RunStarted'
      | 'mission.v1.RunLogAppended'
      | 'mission.v1.RunUsageReported'
      | 'mission.v1.RunProgressNoted'
      | 'mission.v1.RunFinished';
  }
>;

export type RunState = {
  status: 'none' | 'running' | 'finished';
  workspaceId: string;
  missionId: string;
  agentId: string;
  billing: Billing;
  /** The position the next log line gets (1-based, gapless). */
  nextPosition: number;
  outcome: RunOutcome | null;
};

export const runStreamId = (runId: string): string => `run-${runId}`;

export const initialRunState: RunState = {
  status: 'none',
  workspaceId: '',
  missionId: '',
  agentId: '',
  billing: 'metered',
  nextPosition: 1,
  outcome: null,
};

// The wire's enums and ours, both ways; UNSPECIFIED never comes from a command.
const BILLING = {
  metered: missionV1.Billing.METERED,
  subscription: missionV1.Billing.SUBSCRIPTION,
};
const STREAM = {
  stdout: missionV1.LogStream.STDOUT,
  stderr: missionV1.LogStream.STDERR,
  system: missionV1.LogStream.SYSTEM,
};
const OUTCOME = {
  succeeded: missionV1.RunOutcome.SUCCEEDED,
  failed: missionV1.RunOutcome.FAILED,
  cancelled: missionV1.RunOutcome.CANCELLED,
  timed_out: missionV1.RunOutcome.TIMED_OUT,
  abandoned: missionV1.RunOutcome.ABANDONED,
};
const COST_SOURCE = {
  catalog: missionV1.CostSource.CATALOG,
  agent: missionV1.CostSource.AGENT,
  unpriced: missionV1.CostSource.UNPRICED,
};

const reverse = <K extends string>(map: Record<K, number>) =>
  new Map(Object.entries(map).map(([key, value]) => [value as number, key as K]));
const billings = reverse(BILLING);
const streams = reverse(STREAM);
const outcomes = reverse(OUTCOME);
const costSources = reverse(COST_SOURCE);

export const fromProtoBilling = (value: missionV1.Billing): Billing =>
  billings.get(value) ?? 'metered';
export const fromProtoStream = (value: missionV1.LogStream): LogStream =>
  streams.get(value) ?? 'stdout';
export const fromProtoOutcome = (value: missionV1.RunOutcome): RunOutcome =>
  outcomes.get(value) ?? 'failed';
export const fromProtoCostSource = (value: missionV1.CostSource): CostSource =>
  costSources.get(value) ?? 'unpriced';

// Another workspace's run answers exactly as a missing one, so ids cannot be probed.
function requireRun(state: RunState, workspaceId: string): void {
  if (state.status === 'none' || state.workspaceId !== workspaceId) {
    throw AppError.notFound('Run');
  }
}

/** An agent writes only to its own runs; people and the system act on any (the service checks who). */
function requireOwner(state: RunState, actor: Actor): void {
  if (actor.kind === 'agent' && actor.id !== state.agentId) {
    throw AppError.forbidden('A run is written to only by the agent running it');
  }
}

// Not retryable: an ended run stays ended.
function requireRunning(state: RunState, what: string): void {
  if (state.status === 'finished') {
    throw new AppError(
      ErrorCode.CONFLICT,
      `The run has already ended (${state.outcome ?? 'finished'}); ${what}`,
      {},
      { retryable: false },
    );
  }
}

/**
 * The run aggregate (stream `run-<id>`): one execution of a mission by an agent. Its log is
 * gapless and ordered; usage is recorded even after the run ended (a report can trail a stop).
 */
export const runDecider: Decider<RunCommand, RunEvent, RunState> = {
  initialState: initialRunState,

  decide(command, state) {
    const { workspaceId, actor } = command;
    switch (command.type) {
      case 'StartRun': {
        if (state.status !== 'none') {
          throw AppError.conflict('This run already exists');
        }
        if (actor.kind !== 'agent') {
          throw AppError.forbidden('Only an agent starts a run');
        }
        const { data } = command;
        return [
          domainEvent('mission.v1.RunStarted', {
            runId: data.runId,
            missionId: data.missionId,
            workspaceId,
            claimEpoch: BigInt(data.claimEpoch),
            agentId: actor.id,
            adapter: data.adapter,
            model: data.model,
            provider: data.provider,
            billing: BILLING[data.billing],
          }),
        ];
      }

      case 'AppendRunLog': {
        requireRun(state, workspaceId);
        requireOwner(state, actor);
        requireRunning(state, 'its log is closed');
        return [
          domainEvent('mission.v1.RunLogAppended', {
            runId: command.data.runId,
            lines: command.data.lines.map((line, index) => ({
              position: BigInt(state.nextPosition + index),
              stream: STREAM[line.stream],
              text: line.text,
            })),
          }),
        ];
      }

      case 'ReportRunUsage': {
        requireRun(state, workspaceId);
        requireOwner(state, actor);
        const { data } = command;
        return [
          domainEvent('mission.v1.RunUsageReported', {
            runId: data.runId,
            model: data.model,
            inputTokens: BigInt(data.inputTokens),
            outputTokens: BigInt(data.outputTokens),
            cachedInputTokens: BigInt(data.cachedInputTokens),
            costMicroUsd: BigInt(data.costMicroUsd),
            costSource: COST_SOURCE[data.costSource],
            priceCatalogVersion: data.priceCatalogVersion,
          }),
        ];
      }

      case 'NoteRunProgress': {
        requireRun(state, workspaceId);
        requireOwner(state, actor);
        requireRunning(state, 'its progress is final');
        const { runId, note, percent } = command.data;
        return [domainEvent('mission.v1.RunProgressNoted', { runId, note, percent })];
      }

      case 'FinishRun': {
        requireRun(state, workspaceId);
        requireOwner(state, actor);
        requireRunning(state, 'it cannot end twice');
        return [
          domainEvent('mission.v1.RunFinished', {
            runId: command.data.runId,
            outcome: OUTCOME[command.data.outcome],
            summary: command.data.summary,
            budgetId: command.data.budgetId,
          }),
        ];
      }

      default:
        return assertNever(command, 'command');
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'mission.v1.RunStarted':
        return {
          ...state,
          status: 'running',
          workspaceId: event.data.workspaceId,
          missionId: event.data.missionId,
          agentId: event.data.agentId,
          billing: fromProtoBilling(event.data.billing),
        };
      case 'mission.v1.RunLogAppended':
        return { ...state, nextPosition: state.nextPosition + event.data.lines.length };
      case 'mission.v1.RunUsageReported':
      case 'mission.v1.RunProgressNoted':
        return state;
      case 'mission.v1.RunFinished':
        return { ...state, status: 'finished', outcome: fromProtoOutcome(event.data.outcome) };
      default:
        return assertNever(event, 'event');
    }
  },
};
