import type { DemoApiRepository } from './demo-api.repository';
import { DemoApiError, hasCode } from './demo-graphql.client';

/** Where an agent's key lives: read it, or have the demo user issue a new one (replacing it). */
export type AgentKeyring = {
  current(): string | null;
  reissue(): Promise<string>;
};

export type AgentKeyTiming = {
  /** How long a key may be refused: identity learns new keys from the agent service's events. */
  keyWaitMs: number;
  retryEveryMs: number;
};

export const defaultAgentKeyTiming: AgentKeyTiming = { keyWaitMs: 15_000, retryEveryMs: 500 };

export class AgentKeyCheckStopped extends Error {
  override name = 'AgentKeyCheckStopped';
}

/**
 * An agent's key once the API accepts it, for the runner to start with: a key just issued is
 * tried again until identity knows it; one still refused after `keyWaitMs` (revoked by a person,
 * or from a database that was reset) is reissued once, replacing it.
 */
export async function acceptedKey(
  api: Pick<DemoApiRepository, 'exchangeAgentKey'>,
  keyring: AgentKeyring,
  /** Resolves false when the demo stops, which ends any waiting. */
  sleep: (ms: number) => Promise<boolean>,
  timing: AgentKeyTiming = defaultAgentKeyTiming,
  now: () => number = Date.now,
): Promise<string> {
  const stored = keyring.current();
  let reissued = stored === null;
  let key = stored ?? (await keyring.reissue());
  let deadline = now() + timing.keyWaitMs;
  for (;;) {
    try {
      await api.exchangeAgentKey(key);
      return key;
    } catch (error) {
      const refused = hasCode(error, 'UNAUTHENTICATED');
      if (!refused && !(error instanceof DemoApiError && error.retryable)) {
        throw error;
      }
      if (now() >= deadline) {
        if (!refused || reissued) {
          throw error;
        }
        key = await keyring.reissue();
        reissued = true;
        deadline = now() + timing.keyWaitMs;
      } else if (!(await sleep(timing.retryEveryMs))) {
        throw new AgentKeyCheckStopped('The demo stopped while an agent key was checked');
      }
    }
  }
}
