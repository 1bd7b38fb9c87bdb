/** How long claims last unless renewed, and how often a replica ends the ones that ran out. */
export type LeaseSettings = { leaseSeconds: number; sweepSeconds: number };

export const LEASE_SETTINGS = Symbol('LEASE_SETTINGS');

export const DEFAULT_LEASE_SETTINGS: LeaseSettings = { leaseSeconds: 300, sweepSeconds: 5 };
