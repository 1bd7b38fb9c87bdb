import { z } from 'zod';
import { defineCommand, multiLineText, singleLineText } from '@mission-control/eventing';

export const BILLINGS = ['metered', 'subscription'] as const;
export type Billing = (typeof BILLINGS)[number];

export const LOG_STREAMS = ['stdout', 'stderr', 'system'] as const;
export type LogStream = (typeof LOG_STREAMS)[number];

export const RUN_OUTCOMES = ['succeeded', 'failed', 'cancelled', 'timed_out', 'abandoned'] as const;
export type RunOutcome = (typeof RUN_OUTCOMES)[number];

export const COST_SOURCES = ['catalog', 'agent', 'unpriced'] as const;
export type CostSource = (typeof COST_SOURCES)[number];

/** A log chunk's bounds: a line is what a terminal shows, a chunk what one call carries. */
export const LOG_LIMITS = { linesPerChunk: 500, lineChars: 8_192, chunkChars: 262_144 } as const;

const name = singleLineText(z.string().trim().min(1, 'must not be empty').max(100));
// Non-negative whole tokens; a report of billions in one step is a bug, not a run.
const tokens = z.number().int('must be a whole number').min(0, 'must not be negative').max(1e10);

export const startRun = defineCommand(
  'StartRun',
  z.object({
    runId: z.uuid(),
    missionId: z.uuid(),
    /** The mission's claim the run works under (its fencing epoch). */
    claimEpoch: z.number().int().min(0),
    adapter: name,
    model: name,
    provider: name,
    billing: z.enum(BILLINGS),
  }),
);

export const appendRunLog = defineCommand(
  'AppendRunLog',
  z.object({
    runId: z.uuid(),
    lines: z
      .array(
        z.object({
          stream: z.enum(LOG_STREAMS),
          // Terminal output keeps its ANSI colours; a line never holds a line break.
          text: z
            .string()
            .max(LOG_LIMITS.lineChars, `a line holds at most ${LOG_LIMITS.lineChars} characters`)
            .refine((text) => !/[\r\n]/.test(text), 'a line holds no line break'),
        }),
      )
      .min(1, 'must hold a line')
      .max(LOG_LIMITS.linesPerChunk, `a chunk holds at most ${LOG_LIMITS.linesPerChunk} lines`)
      .refine(
        (lines) => lines.reduce((sum, line) => sum + line.text.length, 0) <= LOG_LIMITS.chunkChars,
        `a chunk holds at most ${LOG_LIMITS.chunkChars} characters`,
      ),
  }),
);

/** The cost is priced by the service before the command is made (see pricing.ts). */
export const reportRunUsage = defineCommand(
  'ReportRunUsage',
  z
    .object({
      runId: z.uuid(),
      model: name,
      inputTokens: tokens,
      outputTokens: tokens,
      cachedInputTokens: tokens,
      costMicroUsd: z.number().int().min(0),
      costSource: z.enum(COST_SOURCES),
      priceCatalogVersion: z.string().max(100),
    })
    .refine((usage) => usage.cachedInputTokens <= usage.inputTokens, {
      message: 'cached input tokens are part of the input tokens, so cannot exceed them',
      path: ['cachedInputTokens'],
    }),
);

export const noteRunProgress = defineCommand(
  'NoteRunProgress',
  z.object({
    runId: z.uuid(),
    note: singleLineText(z.string().trim().min(1, 'must not be empty').max(500)),
    percent: z.number().int().min(0, 'must be 0–100').max(100, 'must be 0–100').optional(),
  }),
);

export const finishRun = defineCommand(
  'FinishRun',
  z.object({
    runId: z.uuid(),
    outcome: z.enum(RUN_OUTCOMES),
    summary: multiLineText(z.string().trim().max(20_000)).default(''),
    /** The budget whose hard stop cancels the run. */
    budgetId: z.uuid().optional(),
  }),
);

export type StartRun = ReturnType<typeof startRun>;
export type AppendRunLog = ReturnType<typeof appendRunLog>;
export type ReportRunUsage = ReturnType<typeof reportRunUsage>;
export type NoteRunProgress = ReturnType<typeof noteRunProgress>;
export type FinishRun = ReturnType<typeof finishRun>;

export type RunCommand = StartRun | AppendRunLog | ReportRunUsage | NoteRunProgress | FinishRun;
