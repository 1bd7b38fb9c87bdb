import type { Actor } from '@mission-control/proto';

/** How long claims last unless renewed, and how often a replica ends the ones that ran out. */
export type LeaseSettings = { leaseSeconds: number; sweepSeconds: number };

export const LEASE_SETTINGS = Symbol('LEASE_SETTINGS');

export const DEFAULT_LEASE_SETTINGS: LeaseSettings = { leaseSeconds: 300, sweepSeconds: 5 };

/** Who ends claims nobody gave back, and the runs under them. */
export const LEASE_KEEPER: Actor = { kind: 'system', id: 'mission-leases' };
