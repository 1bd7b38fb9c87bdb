import { MissionControlError } from '../errors/mission-control.error';
import { sleep } from '../retry/retry-policy';

export type IssuedToken = { accessToken: string; expiresAt: number };

export type AgentTokenSourceOptions = {
  /** Trades the agent key for a token (exchangeAgentKey). */
  exchange: () => Promise<IssuedToken>;
  /** A token is replaced this long before it expires (at most half its lifetime). */
  refreshBeforeMs?: number;
  /**
   * A key works a moment after it is issued (identity learns it from the agent service's
   * events): until a first exchange succeeds, UNAUTHENTICATED is retried for this long.
   */
  newKeyGraceMs?: number;
  now?: () => number;
};

/**
 * The agent's access token: exchanged from its key on first use, replaced before it expires,
 * and dropped when the server refused it, so the next request exchanges the key again.
 */
export class AgentTokenSource {
  private current: (IssuedToken & { issuedAt: number }) | null = null;
  private pending: Promise<string> | null = null;
  private everExchanged = false;
  private readonly refreshBeforeMs: number;
  private readonly newKeyGraceMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AgentTokenSourceOptions) {
    this.refreshBeforeMs = options.refreshBeforeMs ?? 60_000;
    this.newKeyGraceMs = options.newKeyGraceMs ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** A token valid for a while yet: the cached one, or a fresh exchange (one at a time). */
  async token(): Promise<string> {
    if (this.current && this.now() < this.refreshAt(this.current)) {
      return this.current.accessToken;
    }
    this.pending ??= this.exchange().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** When the current token is due for replacement, or null without one. */
  get refreshDueAt(): number | null {
    return this.current ? this.refreshAt(this.current) : null;
  }

  /** Forgets `token` (the server refused it); a newer token already in hand is kept. */
  invalidate(token: string): void {
    if (this.current?.accessToken === token) {
      this.current = null;
    }
  }

  private refreshAt(token: IssuedToken & { issuedAt: number }): number {
    const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
    return token.expiresAt - Math.min(this.refreshBeforeMs, lifetime / 2);
  }

  private async exchange(): Promise<string> {
    const deadline = this.now() + (this.everExchanged ? 0 : this.newKeyGraceMs);
    for (;;) {
      const issuedAt = this.now();
      try {
        const issued = await this.options.exchange();
        this.current = { ...issued, issuedAt };
        this.everExchanged = true;
        return issued.accessToken;
      } catch (error) {
        const refused = error instanceof MissionControlError && error.code === 'UNAUTHENTICATED';
        if (refused && this.now() < deadline) {
          await sleep(250);
          continue;
        }
        throw refused ? keyRefused(error) : error;
      }
    }
  }
}

/** The server's refusal, saying what an agent's operator can do about it. */
function keyRefused(error: MissionControlError): MissionControlError {
  return new MissionControlError({
    code: 'UNAUTHENTICATED',
    message: `The agent key was refused (${error.message}): it was revoked or replaced, or the agent was deactivated. Issue a new key with issueAgentKey.`,
    requestId: error.requestId,
    retryable: false,
    details: error.details,
    cause: error,
  });
}
