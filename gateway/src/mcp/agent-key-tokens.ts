import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export type ExchangedToken = { accessToken: string; accessTokenExpiresAt: string };

/** `Authorization: Bearer mca_…`: an agent key where a token is expected. */
const AGENT_KEY = /^Bearer +(mca_[A-Za-z0-9_-]+) *$/i;

export const agentKeyOf = (authorization: string | undefined): string | undefined =>
  authorization === undefined ? undefined : AGENT_KEY.exec(authorization)?.[1];

// A token is replaced this long before it expires.
const REFRESH_BEFORE_MS = 60_000;

/**
 * Tokens exchanged for agent keys that MCP clients send as their bearer (a client's config holds
 * a key, not a token that lapses in 15 minutes). Kept by the key's hash, never the key, and
 * exchanged again before they expire or once the edge refuses them (a revoked key then fails
 * its exchange, which is the answer the agent gets).
 */
export class AgentKeyTokens {
  private readonly tokens = new LRUCache<string, Promise<ExchangedToken>>({ max: 10_000 });

  constructor(private readonly now: () => number = Date.now) {}

  async token(key: string, exchange: () => Promise<ExchangedToken>): Promise<string> {
    const id = createHash('sha256').update(key).digest('base64url');
    let pending = this.tokens.get(id);
    if (pending !== undefined) {
      const held = await pending.catch(() => null);
      if (held && Date.parse(held.accessTokenExpiresAt) - REFRESH_BEFORE_MS > this.now()) {
        return held.accessToken;
      }
      if (this.tokens.get(id) === pending) {
        this.tokens.delete(id);
      }
    }
    pending = this.tokens.get(id) ?? exchange();
    this.tokens.set(id, pending);
    try {
      return (await pending).accessToken;
    } catch (error) {
      // A failed exchange is not kept: the next request tries again.
      if (this.tokens.get(id) === pending) {
        this.tokens.delete(id);
      }
      throw error;
    }
  }

  /** Forgets the key's token (the edge refused it). */
  forget(key: string): void {
    this.tokens.delete(createHash('sha256').update(key).digest('base64url'));
  }
}
