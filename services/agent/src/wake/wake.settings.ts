import type { RetryPolicy } from '@mission-control/webhooks';

export const WAKE_SETTINGS = Symbol('WAKE_SETTINGS');

/** How wakes are delivered (from the AGENT_WAKE_* settings). */
export type WakeSettings = {
  /** Whether wake URLs may point to loopback, private and link-local addresses. */
  allowPrivateUrls: boolean;
  /** How long one POST may take. */
  timeoutMs: number;
  retry: RetryPolicy;
  /** The least time between two wake POSTs to one agent: wakes in between are coalesced. */
  minIntervalMs: number;
  /** How often each replica looks for wakes that are due. */
  pollIntervalMs: number;
  /** Finished deliveries are kept this long (an agent's latest always). */
  retentionMs: number;
};
