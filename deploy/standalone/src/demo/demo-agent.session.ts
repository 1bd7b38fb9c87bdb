import type { DemoApiRepository, IssuedToken } from './demo-api.repository';
import { hasCode } from './demo-graphql.client';

/** Where an agent's key lives: read it, or have the demo user issue a new one (replacing it). */
export type AgentKeyring = {
  current(): string | null;
  reissue(): Promise<string>;
};

export type AgentSessionTiming = {
  /** How long a new key may be refused: identity learns keys from the agent service's events. */
  keyWaitMs: number;
  retryEveryMs: number;
  /** The least time between two reissues of the same agent's key. */
  reissueEveryMs: number;
  /** Exchange again this long before the token expires. */
  expiryMarginMs: number;
};

export const defaultAgentSessionTiming: AgentSessionTiming = {
  keyWaitMs: 15_000,
  retryEveryMs: 500,
  reissueEveryMs: 120_000,
  expiryMarginMs: 60_000,
};

export class AgentSessionStopped extends Error {
  override name = 'AgentSessionStopped';
}

/**
 * An agent's access token, from its key: exchanged on first use, again before it expires or when
 * the API refuses it; a key still refused after `keyWaitMs` is reissued.
 */
export class DemoAgentSession {
  private issued: IssuedToken | null = null;
  private lastReissueAt: number | null = null;

  constructor(
    private readonly api: Pick<DemoApiRepository, 'exchangeAgentKey'>,
    private readonly keyring: AgentKeyring,
    /** Resolves false when the demo stops, which ends any waiting. */
    private readonly sleep: (ms: number) => Promise<boolean>,
    private readonly timing: AgentSessionTiming = defaultAgentSessionTiming,
    private readonly now: () => number = Date.now,
  ) {}

  /** Runs `call` with the agent's token, exchanging the key again once if it was refused. */
  async call<T>(call: (token: string) => Promise<T>): Promise<T> {
    const token = await this.token();
    try {
      return await call(token);
    } catch (error) {
      if (!hasCode(error, 'UNAUTHENTICATED')) {
        throw error;
      }
      this.issued = null;
      return call(await this.token());
    }
  }

  private async token(): Promise<string> {
    const issued = this.issued;
    if (issued && issued.expiresAt - this.now() > this.timing.expiryMarginMs) {
      return issued.token;
    }
    this.issued = await this.exchange();
    return this.issued.token;
  }

  private async exchange(): Promise<IssuedToken> {
    let key = this.keyring.current() ?? (await this.reissue());
    let deadline = this.now() + this.timing.keyWaitMs;
    for (;;) {
      try {
        return await this.api.exchangeAgentKey(key);
      } catch (error) {
        if (!hasCode(error, 'UNAUTHENTICATED')) {
          throw error;
        }
        if (this.now() >= deadline) {
          if (!this.mayReissue()) {
            throw error;
          }
          key = await this.reissue();
          deadline = this.now() + this.timing.keyWaitMs;
        } else if (!(await this.sleep(this.timing.retryEveryMs))) {
          throw new AgentSessionStopped('The demo stopped while the agent was signing in');
        }
      }
    }
  }

  private mayReissue(): boolean {
    return (
      this.lastReissueAt === null || this.now() - this.lastReissueAt >= this.timing.reissueEveryMs
    );
  }

  private async reissue(): Promise<string> {
    this.lastReissueAt = this.now();
    return this.keyring.reissue();
  }
}
