import { z } from 'zod';

// Limits are the API's (docs/api.md): a call outside them is refused here, before a round trip.
export const INT32_MAX = 2_147_483_647;

export const missionId = z.uuid().describe('A mission id; the mission you hold when left out');
export const runId = z.uuid().describe('A run id; the run of the mission you hold when left out');

export const runInput = {
  adapter: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .optional()
    .describe('What runs the work, e.g. "claude-code" or "codex"'),
  model: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('The model doing the work, e.g. "claude-sonnet-4-5" (prices its usage)'),
  provider: z.string().trim().min(1).max(100).optional().describe('e.g. "anthropic" or "openai"'),
};

export const tokens = z.int().min(0).max(INT32_MAX);

export const boardColumn = z.enum(['BACKLOG', 'TODO', 'IN_PROGRESS', 'REVIEW', 'DONE', 'BLOCKED']);
export const priority = z.enum(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
