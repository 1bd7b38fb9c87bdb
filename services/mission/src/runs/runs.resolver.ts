import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, type Principal } from '@mission-control/auth';
import { validId } from '@mission-control/eventing';
import { assertPageSize } from '../board/board-page';
import { Mission } from '../graphql/mission.models';
import { IdempotencyKeyArg } from '../idempotency/idempotency-key.arg';
import { encodeRunCursor } from './run-cursor';
import {
  Run,
  RunConnection,
  RunLogAppended,
  RunLogLine,
  RunLogLineInput,
  RunLogPage,
  RunLogStreamValue,
  RunOutcomeValue,
  RunStatusValue,
  RunUsageInput,
  StartRunInput,
  asBilling,
  asLogStream,
  asOutcome,
  asStatus,
} from './run.models';
import type { RunFilter, RunRecord } from './runs.repository';
import { RunsService } from './runs.service';

const MAX_LOG_PAGE = 1_000;

export const runOf = (run: RunRecord): Run => ({
  ...run,
  billing: run.billing as Run['billing'],
  status: run.status as RunStatusValue,
  costUsd: run.costMicroUsd / 1_000_000,
  costEstimated: run.billing === 'subscription',
});

/** One page of runs, newest first: one more is read than shown, to know whether more follow. */
async function pageOf(
  runs: RunsService,
  principal: Principal,
  filter: RunFilter,
  first: number,
  after: string | null | undefined,
): Promise<RunConnection> {
  const rows = await runs.list(principal, filter, first, after ?? null);
  const nodes = rows.slice(0, first);
  const last = nodes.at(-1);
  return {
    nodes: nodes.map(runOf),
    pageInfo: {
      endCursor: last ? encodeRunCursor(last) : null,
      hasNextPage: rows.length > first,
    },
  };
}

/** Thin: who may do what is in RunsService, the rules in the run decider. */
@Resolver(() => Run)
export class RunsResolver {
  constructor(private readonly service: RunsService) {}

  @Query(() => Run)
  async run(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('id', { type: () => ID }, validId) id: string,
  ): Promise<Run> {
    return runOf(await this.service.get(principal, workspaceId, id));
  }

  @Query(() => RunConnection, {
    description: 'Runs of the workspace, newest first; narrowed to a mission, agent or status.',
  })
  runs(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID, nullable: true }, validId) missionId?: string | null,
    @Args('agentId', { type: () => ID, nullable: true }, validId) agentId?: string | null,
    @Args('status', { type: () => RunStatusValue, nullable: true }) status?: RunStatusValue | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first = 20,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<RunConnection> {
    return pageOf(
      this.service,
      principal,
      {
        workspaceId,
        missionId: missionId ?? undefined,
        agentId: agentId ?? undefined,
        status: status ? asStatus(status) : undefined,
      },
      first,
      after,
    );
  }

  @Mutation(() => Run, { description: 'For the agent holding the mission’s claim.' })
  async startRun(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('missionId', { type: () => ID }, validId) missionId: string,
    @Args('input') input: StartRunInput,
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<Run> {
    return runOf(
      await this.service.start(
        principal,
        workspaceId,
        missionId,
        {
          adapter: input.adapter,
          model: input.model,
          provider: input.provider,
          billing: input.billing ? asBilling(input.billing) : 'metered',
        },
        idempotencyKey ?? null,
      ),
    );
  }

  @Mutation(() => RunLogAppended, {
    description:
      'Appends up to 500 lines (256 KiB) to the log of a running run, in order. For its agent.',
  })
  appendRunLog(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('runId', { type: () => ID }, validId) runId: string,
    @Args('lines', { type: () => [RunLogLineInput] }) lines: RunLogLineInput[],
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<RunLogAppended> {
    return this.service.appendLog(
      principal,
      workspaceId,
      runId,
      lines.map((line) => ({
        stream: line.stream ? asLogStream(line.stream) : 'stdout',
        text: line.text,
      })),
      idempotencyKey ?? null,
    );
  }

  @Mutation(() => Run, {
    description:
      'Adds a step’s tokens to the run; priced from costUsd or list prices. Accepted after the ' +
      'run ended too. For its agent.',
  })
  async reportRunUsage(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('runId', { type: () => ID }, validId) runId: string,
    @Args('input') input: RunUsageInput,
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<Run> {
    return runOf(
      await this.service.reportUsage(
        principal,
        workspaceId,
        runId,
        {
          model: input.model,
          inputTokens: input.inputTokens,
          outputTokens: input.outputTokens,
          cachedInputTokens: input.cachedInputTokens ?? 0,
          costUsd: input.costUsd,
        },
        idempotencyKey ?? null,
      ),
    );
  }

  @Mutation(() => Run, {
    description:
      'Says where a running run has got to: a note of up to 500 characters and, when known, ' +
      'how far along it is (0–100). Pushed live to the board and the run page. For its agent.',
  })
  async noteRunProgress(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('runId', { type: () => ID }, validId) runId: string,
    @Args('note') note: string,
    @Args('percent', { type: () => Int, nullable: true }) percent?: number | null,
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<Run> {
    return runOf(
      await this.service.noteProgress(
        principal,
        workspaceId,
        runId,
        { note, percent: percent ?? null },
        idempotencyKey ?? null,
      ),
    );
  }

  @Mutation(() => Run, {
    description:
      'Ends a run. Its agent says how it ended; a person with create_missions may CANCEL it.',
  })
  async finishRun(
    @CurrentPrincipal() principal: Principal,
    @Args('workspaceId', { type: () => ID }, validId) workspaceId: string,
    @Args('runId', { type: () => ID }, validId) runId: string,
    @Args('outcome', { type: () => RunOutcomeValue }) outcome: RunOutcomeValue,
    @Args('summary', { type: () => String, nullable: true }) summary?: string | null,
    @IdempotencyKeyArg() idempotencyKey?: string | null,
  ): Promise<Run> {
    return runOf(
      await this.service.finish(
        principal,
        workspaceId,
        runId,
        asOutcome(outcome),
        summary ?? null,
        idempotencyKey ?? null,
      ),
    );
  }

  @ResolveField(() => RunLogPage, {
    description: 'Up to `first` (1–1000) lines after position `after` (0: from the start).',
  })
  async log(
    @CurrentPrincipal() principal: Principal,
    @Parent() run: Run,
    @Args('after', { type: () => Int, defaultValue: 0 }) after = 0,
    @Args('first', { type: () => Int, defaultValue: 500 }) first = 500,
  ): Promise<RunLogPage> {
    assertPageSize(first, 'first', MAX_LOG_PAGE);
    const lines = await this.service.lines(principal, run, Math.max(after, 0), first);
    const last = lines.at(-1)?.position ?? after;
    return {
      lines: lines.map((line): RunLogLine => ({
        ...line,
        stream: line.stream as RunLogStreamValue,
      })),
      hasMore: last < run.logLines,
    };
  }
}

/** A mission's runs, on the mission itself. */
@Resolver(() => Mission)
export class MissionRunsResolver {
  constructor(private readonly service: RunsService) {}

  @ResolveField(() => RunConnection, { description: 'Runs of this mission, newest first.' })
  runs(
    @CurrentPrincipal() principal: Principal,
    @Parent() mission: Mission,
    @Args('first', { type: () => Int, defaultValue: 20 }) first = 20,
    @Args('after', { type: () => String, nullable: true }) after?: string | null,
  ): Promise<RunConnection> {
    return pageOf(
      this.service,
      principal,
      { workspaceId: mission.workspaceId, missionId: mission.id },
      first,
      after,
    );
  }
}
