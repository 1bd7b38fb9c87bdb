export const HOST_SETTINGS = Symbol('HOST_SETTINGS');

/** Runtime hosts (from the AGENT_HOST_* settings). */
export type HostSettings = {
  /** A host with no sample for this long is offline. */
  offlineAfterSeconds: number;
  /** Samples each host may send per minute (counted in Postgres, across replicas). */
  samplesPerMinute: number;
};
