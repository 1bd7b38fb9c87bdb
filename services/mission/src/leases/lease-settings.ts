import type { Actor } from '@mission-control/proto';

/**
 * How long claims last unless renewed, how often a replica ends the ones that ran out, and how
 * long a run may go without a log line, usage or progress before it is ended as timed out (0:
 * never; an agent that heartbeats keeps its claim, so only this ends a run whose process hung).
 */
export type LeaseSettings = { leaseSeconds: number; sweepSeconds: number; runIdleSeconds: number };

export const LEASE_SETTINGS = Symbol('LEASE_SETTINGS');

export const DEFAULT_LEASE_SETTINGS: LeaseSettings = {
  leaseSeconds: 300,
  sweepSeconds: 5,
  runIdleSeconds: 1_800,
};

/** Who ends claims nobody gave back, and the runs under them. */
export const LEASE_KEEPER: Actor = { kind: 'system', id: 'mission-leases' };
