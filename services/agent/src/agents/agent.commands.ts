import { z } from 'zod';
import { defineCommand, singleLineText } from '@mission-control/eventing';
import type { RemoveAgentWakeHook, SetAgentWakeHook } from '../wake/wake-hook.commands';

const MAX_CONFIG_BYTES = 16_384;

const name = singleLineText(z.string().trim().min(1, 'must not be empty').max(100));
const role = singleLineText(z.string().trim().min(1, 'must not be empty').max(50));
const capabilities = z
  .array(singleLineText(z.string().trim().min(1, 'must not be empty').max(50)))
  .max(50)
  .transform((values) => [...new Set(values)]);
const model = singleLineText(z.string().trim().max(100));
const provider = singleLineText(z.string().trim().max(100));

/** Agent configuration: a JSON object given as text, kept as text in events. */
export const configJson = z
  .string()
  .max(MAX_CONFIG_BYTES, `must be at most ${MAX_CONFIG_BYTES} characters`)
  .transform((text, context) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'must be valid JSON' });
      return z.NEVER;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      context.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
    // Normalised so an edit that only changes spacing is no change.
    return JSON.stringify(parsed);
  });

/** The statuses an agent may report itself; offline and inactive are the server's to decide. */
export const REPORTED_STATUSES = ['idle', 'busy', 'error'] as const;
export type ReportedStatus = (typeof REPORTED_STATUSES)[number];

export const registerAgent = defineCommand(
  'RegisterAgent',
  z.object({
    agentId: z.uuid(),
    name,
    role,
    capabilities: capabilities.default([]),
    config: configJson.default('{}'),
    model: model.default(''),
    provider: provider.default(''),
  }),
);

/** Fields left out stay as they are. */
export const updateAgent = defineCommand(
  'UpdateAgent',
  z.object({
    agentId: z.uuid(),
    name: name.optional(),
    role: role.optional(),
    capabilities: capabilities.optional(),
    config: configJson.optional(),
    model: model.optional(),
    provider: provider.optional(),
  }),
);

export const activateAgent = defineCommand('ActivateAgent', z.object({ agentId: z.uuid() }));

export const deactivateAgent = defineCommand('DeactivateAgent', z.object({ agentId: z.uuid() }));

/** What a heartbeat reports; the decider turns it into an event only when the status changes. */
export const reportStatus = defineCommand(
  'ReportStatus',
  z.object({
    agentId: z.uuid(),
    status: z.enum(REPORTED_STATUSES),
    activity: singleLineText(z.string().trim().max(500)).default(''),
  }),
);

/**
 * A new credential for the agent, replacing any it had. Only the secret's SHA-256 is recorded:
 * the secret itself is returned to the caller once and kept nowhere.
 */
export const issueAgentKey = defineCommand(
  'IssueAgentKey',
  z.object({
    agentId: z.uuid(),
    keyId: z.uuid(),
    prefix: z.string().regex(/^[a-z0-9]{8,32}$/),
    secretSha256: z.instanceof(Uint8Array).refine((hash) => hash.length === 32, 'must be 32 bytes'),
  }),
);

/**
 * A running agent's ephemeral child (PRODUCT A4): registered, activated and given a key that
 * expires with it, in one step. The key's secret is returned to the parent once and kept nowhere.
 */
export const spawnSubAgent = defineCommand(
  'SpawnSubAgent',
  z.object({
    agentId: z.uuid(),
    parentAgentId: z.uuid(),
    name,
    role,
    capabilities: capabilities.default([]),
    config: configJson.default('{}'),
    model: model.default(''),
    provider: provider.default(''),
    expiresAtUnixMs: z.number().int().positive(),
    keyId: z.uuid(),
    prefix: z.string().regex(/^[a-z0-9]{8,32}$/),
    secretSha256: z.instanceof(Uint8Array).refine((hash) => hash.length === 32, 'must be 32 bytes'),
  }),
);

export const SUB_AGENT_END_REASONS = ['expired', 'parent_stopped'] as const;
export type SubAgentEndReason = (typeof SUB_AGENT_END_REASONS)[number];

/** Issued by the sub-agent sweeper (or a parent's deactivation) for a child whose time is up. */
export const endSubAgent = defineCommand(
  'EndSubAgent',
  z.object({ agentId: z.uuid(), reason: z.enum(SUB_AGENT_END_REASONS) }),
);

/** Issued by the presence sweeper for an agent whose heartbeats stopped. */
export const markAgentOffline = defineCommand('MarkAgentOffline', z.object({ agentId: z.uuid() }));

export type RegisterAgent = ReturnType<typeof registerAgent>;
export type UpdateAgent = ReturnType<typeof updateAgent>;
export type ActivateAgent = ReturnType<typeof activateAgent>;
export type DeactivateAgent = ReturnType<typeof deactivateAgent>;
export type ReportStatus = ReturnType<typeof reportStatus>;
export type MarkAgentOffline = ReturnType<typeof markAgentOffline>;
export type IssueAgentKey = ReturnType<typeof issueAgentKey>;
export type SpawnSubAgent = ReturnType<typeof spawnSubAgent>;
export type EndSubAgent = ReturnType<typeof endSubAgent>;

export type AgentCommand =
  | RegisterAgent
  | UpdateAgent
  | ActivateAgent
  | DeactivateAgent
  | ReportStatus
  | MarkAgentOffline
  | IssueAgentKey
  | SpawnSubAgent
  | EndSubAgent
  | SetAgentWakeHook
  | RemoveAgentWakeHook;
