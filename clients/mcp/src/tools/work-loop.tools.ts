import {
  FinishRunDocument,
  idempotencyKey,
  MoveMissionDocument,
  nextChunkSize,
  NextMissionDocument,
  ReleaseMissionDocument,
  RenewLeaseDocument,
  ReportRunUsageDocument,
  StartRunDocument,
  toLogLines,
  AppendRunLogDocument,
  type RunState,
} from '@mission-control/sdk';
import { z } from 'zod';
import { McpAgentDocument, McpClaimMissionDocument } from '../graphql/generated';
import { defineTool, type ToolContext } from './tool-definition';
import { toolResult } from './tool-result';
import * as s from './tool-schemas';

type RunInput = { adapter?: string; model?: string; provider?: string };
type MissionBrief = { id: string; title: string; priority: string; leaseExpiresAt: string | null };

/** The run under a fresh claim: the work's log, usage and outcome are recorded on it. */
async function startRun(
  context: ToolContext,
  workspaceId: string,
  missionId: string,
  input: RunInput,
) {
  const { startRun } = await context.graph.request(StartRunDocument, {
    workspaceId,
    missionId,
    input: {
      adapter: input.adapter ?? context.runDefaults.adapter,
      model: input.model ?? context.runDefaults.model,
      provider: input.provider ?? context.runDefaults.provider,
    },
    idempotencyKey: idempotencyKey(),
  });
  return startRun;
}

const claimedText = (mission: MissionBrief, run: RunState) =>
  `Claimed mission ${mission.id} “${mission.title}” (${mission.priority}; lease until ` +
  `${mission.leaseExpiresAt ?? 'unknown'}). Run ${run.id} started: send output with append_log, ` +
  'usage with report_usage, and end it with finish_run.';

const runText = (run: RunState) =>
  `run ${run.id} ${run.status}: ${run.inputTokens} input and ${run.outputTokens} output tokens, ` +
  `$${run.costUsd.toFixed(4)}${run.costEstimated ? ' (estimated)' : ''}`;

export const whoami = defineTool({
  name: 'whoami',
  title: 'Who am I',
  description:
    'Who this server acts for (an agent, a person or an API key), its workspace, and the missions the agent holds.',
  input: z.object({}),
  annotations: { readOnlyHint: true },
  async run(_input, { graph, work }) {
    const caller = await work.caller();
    if (caller.kind !== 'agent' || caller.workspaceId === null) {
      return toolResult(
        `You are ${caller.kind} ${caller.id} in workspace ${caller.workspaceId ?? '(none)'}.`,
        {
          caller,
        },
      );
    }
    const [{ agent }, held] = await Promise.all([
      graph.request(McpAgentDocument, { workspaceId: caller.workspaceId, id: caller.id }),
      work.held(),
    ]);
    const holding = held.length
      ? `You hold ${held.map((mission) => `${mission.id} “${mission.title}”`).join(', ')}.`
      : 'You hold no mission: ask for one with next_mission.';
    return toolResult(
      `You are agent “${agent.name}” (${agent.id}, ${agent.status}) in workspace ${agent.workspaceId}. ${holding}`,
      { caller, agent, heldMissions: held },
    );
  },
});

export const nextMission = defineTool({
  name: 'next_mission',
  title: 'Take the next mission',
  description:
    'Claims the best mission you may take (yours first, then unassigned ones in To do, by priority) and starts a run for it. Answers null when there is nothing to do.',
  input: z.object(s.runInput),
  async run(input, context) {
    const workspaceId = await context.work.workspaceId();
    const { nextMission: mission } = await context.graph.request(NextMissionDocument, {
      workspaceId,
      idempotencyKey: idempotencyKey(),
    });
    if (!mission) {
      return toolResult('No mission is waiting for you. Try again later.', {
        mission: null,
        run: null,
      });
    }
    const run = await startRun(context, workspaceId, mission.id, input);
    return toolResult(claimedText(mission, run), { mission, run });
  },
});

export const claimMission = defineTool({
  name: 'claim_mission',
  title: 'Claim a mission',
  description:
    'Claims a mission assigned to you by its id and starts a run for it (next_mission picks one for you instead).',
  input: z.object({ missionId: s.missionId.describe('The mission to claim'), ...s.runInput }),
  async run(input, context) {
    const workspaceId = await context.work.workspaceId();
    const { claimMission: mission } = await context.graph.request(McpClaimMissionDocument, {
      workspaceId,
      missionId: input.missionId,
    });
    const run = await startRun(context, workspaceId, mission.id, input);
    return toolResult(claimedText(mission, run), { mission, run });
  },
});

export const renewLease = defineTool({
  name: 'renew_lease',
  title: 'Renew the lease',
  description:
    'Keeps your claim on a mission for another lease period. Writing to the run renews it too; a lapsed lease is CONFLICT: ask for work again.',
  input: z.object({ missionId: s.missionId.optional() }),
  annotations: { idempotentHint: true },
  async run(input, { graph, work }) {
    const { renewLease: lease } = await graph.request(RenewLeaseDocument, {
      workspaceId: await work.workspaceId(),
      missionId: await work.missionId(input.missionId),
    });
    return toolResult(`Lease on mission ${lease.id} renewed until ${lease.leaseExpiresAt}.`, {
      lease,
    });
  },
});

export const appendLog = defineTool({
  name: 'append_log',
  title: 'Append to the run’s log',
  description:
    'Adds text to the log of your run, one log line per line of text (long lines are cut at 8,192 characters); people watch it live.',
  input: z.object({
    text: z.string().min(1).max(262_144).describe('Output to record; ANSI colours are kept'),
    stream: z.enum(['STDOUT', 'STDERR', 'SYSTEM']).default('STDOUT'),
    runId: s.runId.optional(),
  }),
  async run(input, { graph, work }) {
    const workspaceId = await work.workspaceId();
    const runId = await work.runId(input.runId);
    let lines = toLogLines(input.stream, input.text);
    let first: number | null = null;
    let last: number | null = null;
    // Chunks within what one call may carry, in order.
    while (lines.length > 0) {
      const size = nextChunkSize(lines);
      const { appendRunLog } = await graph.request(AppendRunLogDocument, {
        workspaceId,
        runId,
        lines: lines.slice(0, size),
        idempotencyKey: idempotencyKey(),
      });
      first ??= appendRunLog.firstPosition;
      last = appendRunLog.lastPosition;
      lines = lines.slice(size);
    }
    return toolResult(`Logged lines ${first}–${last} of run ${runId}.`, {
      runId,
      firstPosition: first,
      lastPosition: last,
    });
  },
});

export const reportUsage = defineTool({
  name: 'report_usage',
  title: 'Report token usage',
  description:
    'Records tokens the run spent (priced on the server unless costUsd is given). Budgets count it: past a limit the run is cancelled.',
  input: z.object({
    model: z.string().trim().min(1).max(200).describe('The model that spent the tokens'),
    inputTokens: s.tokens,
    outputTokens: s.tokens,
    cachedInputTokens: s.tokens.optional().describe('Part of inputTokens read from a cache'),
    costUsd: z.number().min(0).max(1_000_000).optional().describe('What it cost, when you know'),
    runId: s.runId.optional(),
  }),
  async run({ runId: given, ...usage }, { graph, work }) {
    const workspaceId = await work.workspaceId();
    const runId = await work.runId(given);
    const { reportRunUsage: run } = await graph.request(ReportRunUsageDocument, {
      workspaceId,
      runId,
      input: usage,
      idempotencyKey: idempotencyKey(),
    });
    return toolResult(`Usage recorded; ${runText(run)}.`, { run });
  },
});

export const finishRun = defineTool({
  name: 'finish_run',
  title: 'Finish the run',
  description:
    'Ends your run with its outcome and a summary, once. With moveTo, also moves the mission (e.g. to REVIEW or DONE) and gives up your claim on it: you are done with it.',
  input: z.object({
    outcome: z.enum(['SUCCEEDED', 'FAILED', 'CANCELLED', 'TIMED_OUT', 'ABANDONED']),
    summary: z.string().trim().max(10_000).optional().describe('What was done, for the people'),
    moveTo: s.boardColumn.optional().describe('Where the mission goes next'),
    runId: s.runId.optional(),
  }),
  async run(input, { graph, work }) {
    const workspaceId = await work.workspaceId();
    const runId = await work.runId(input.runId);
    const { finishRun: run } = await graph.request(FinishRunDocument, {
      workspaceId,
      runId,
      outcome: input.outcome,
      summary: input.summary,
      idempotencyKey: idempotencyKey(),
    });
    let moved: { id: string; column: string } | null = null;
    if (input.moveTo) {
      ({ moveMission: moved } = await graph.request(MoveMissionDocument, {
        workspaceId,
        missionId: run.missionId,
        column: input.moveTo,
      }));
      await graph.request(ReleaseMissionDocument, {
        workspaceId,
        missionId: run.missionId,
        idempotencyKey: idempotencyKey(),
      });
    }
    const movedText = moved ? ` Mission ${moved.id} moved to ${moved.column}.` : '';
    return toolResult(`Finished ${runText(run)}.${movedText}`, { run, mission: moved });
  },
});

export const WORK_LOOP_TOOLS = [
  whoami,
  nextMission,
  claimMission,
  renewLease,
  appendLog,
  reportUsage,
  finishRun,
];
