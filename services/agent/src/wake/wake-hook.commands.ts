import { z } from 'zod';
import { defineCommand } from '@mission-control/eventing';
import { DEFAULT_MAX_URL_LENGTH } from '@mission-control/webhooks';

/**
 * Sets (or replaces) the agent's wake URL. The URL was checked against the server's target policy
 * before; the signing secret is not part of the command, so it can never reach an event.
 */
export const setAgentWakeHook = defineCommand(
  'SetAgentWakeHook',
  z.object({
    agentId: z.uuid(),
    url: z.url({ protocol: /^https?$/ }).max(DEFAULT_MAX_URL_LENGTH),
  }),
);

export const removeAgentWakeHook = defineCommand(
  'RemoveAgentWakeHook',
  z.object({ agentId: z.uuid() }),
);

export type SetAgentWakeHook = ReturnType<typeof setAgentWakeHook>;
export type RemoveAgentWakeHook = ReturnType<typeof removeAgentWakeHook>;
