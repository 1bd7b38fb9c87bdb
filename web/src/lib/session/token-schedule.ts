/** How long before expiry a token is replaced: a minute, or a quarter of a short lifetime. */
const MAX_LEAD_MS = 60_000;

/**
 * Milliseconds to wait before refreshing a token that expires at `expiresAtMs`, asked right after
 * it was issued. Never negative; a token that already expired is refreshed at once.
 */
export function refreshDelayMs(expiresAtMs: number, nowMs: number): number {
  const remaining = expiresAtMs - nowMs;
  if (remaining <= 0) {
    return 0;
  }
  const lead = Math.min(MAX_LEAD_MS, remaining / 4);
  return Math.floor(remaining - lead);
}

/** Whether a token is still good for a request sent now; clock skew and latency eat a few seconds. */
export function isUsable(expiresAtMs: number, nowMs: number, marginMs = 5_000): boolean {
  return expiresAtMs - nowMs > marginMs;
}

/** Waits between refresh attempts that failed for lack of network: 1 s, 2 s, 4 s… up to 30 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000, 1_000 * 2 ** Math.max(0, attempt));
}
