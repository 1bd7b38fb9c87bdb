import { z } from 'zod';
import { defineCommand, singleLineText } from '@mission-control/eventing';
import { BUDGET_PERIODS } from './budget-period';

// A limit of 0 is allowed: it means "spend nothing" (a freeze).
const limit = z.number().int('must be a whole number').min(0, 'must not be negative').max(1e15);
const periodKey = z.string().regex(/^(\d{4}-\d{2}(-\d{2})?|total)$/);

export const setBudget = defineCommand(
  'SetBudget',
  z
    .object({
      budgetId: z.uuid(),
      /** Null: every run of the workspace counts. */
      agentId: z.string().min(1).max(100).nullable(),
      name: singleLineText(z.string().trim().min(1, 'must not be empty').max(100)),
      period: z.enum(BUDGET_PERIODS),
      tokenLimit: limit.nullable(),
      costLimitMicroUsd: limit.nullable(),
      warnPercent: z.number().int().min(1, 'must be 1–100').max(100, 'must be 1–100'),
    })
    .refine((budget) => budget.tokenLimit !== null || budget.costLimitMicroUsd !== null, {
      message: 'a budget needs a token limit, a money limit or both',
      path: ['tokenLimit'],
    }),
);

export const deleteBudget = defineCommand('DeleteBudget', z.object({ budgetId: z.uuid() }));

export const resumeBudget = defineCommand(
  'ResumeBudget',
  z.object({ budgetId: z.uuid(), periodKey }),
);

/** What the budget's period has spent after a usage report counted against it. */
export const checkBudgetSpend = defineCommand(
  'CheckBudgetSpend',
  z.object({
    budgetId: z.uuid(),
    periodKey,
    tokens: z.number().int().min(0),
    costMicroUsd: z.number().int().min(0),
  }),
);

export type SetBudget = ReturnType<typeof setBudget>;
export type DeleteBudget = ReturnType<typeof deleteBudget>;
export type ResumeBudget = ReturnType<typeof resumeBudget>;
export type CheckBudgetSpend = ReturnType<typeof checkBudgetSpend>;

export type BudgetCommand = SetBudget | DeleteBudget | ResumeBudget | CheckBudgetSpend;
