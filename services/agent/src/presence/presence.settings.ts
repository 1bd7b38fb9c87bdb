export const PRESENCE_SETTINGS = Symbol('PRESENCE_SETTINGS');

export type PresenceSettings = {
  heartbeatsPerMinute: number;
  offlineAfterSeconds: number;
  sweepIntervalMs: number;
};
