import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export type ExchangedToken = { accessToken: string; accessTokenExpiresAt: string };

/** `Authorization: Bearer mca_…`: an agent key where a token is expected. */
const AGENT_KEY = /^Bearer +(mca_[A-Za-z0-9_-]+) *$/i;

export const agentKeyOf = (authorization: string | undefined): string | undefined =>
  authorization === undefined ? undefined : AGENT_KEY.exec(authorization)?.[1];

// A token is replaced this long before it expires.
const REFRESH_BEFORE_MS = 60_000;

type Held = { token: ExchangedToken; renewAt: number };

/**
 * Tokens exchanged for agent keys that MCP clients send as their bearer (a client's config holds
 * a key, not a token that lapses in 15 minutes). Kept by the key's hash, never the key, and
 * exchanged again before they expire or once the edge refuses them.
 */
export class AgentKeyTokens {
  private readonly held = new LRUCache<string, Promise<Held>>({ max: 10_000 });

  constructor(private readonly now: () => number = Date.now) {}

  async token(key: string, exchange: () => Promise<ExchangedToken>): Promise<string> {
    const id = idOf(key);
    const pending = this.held.get(id);
    if (pending !== undefined) {
      const current = await pending.catch(() => null);
      if (current && current.renewAt > this.now()) {
        return current.token.accessToken;
      }
      if (this.held.get(id) === pending) {
        this.held.delete(id);
      }
    }
    const next = this.held.get(id) ?? this.exchange(id, exchange);
    this.held.set(id, next);
    try {
      return (await next).token.accessToken;
    } catch (error) {
      // A failed exchange is not kept: the next request tries again.
      if (this.held.get(id) === next) {
        this.held.delete(id);
      }
      throw error;
    }
  }

  /**
   * Forgets the key's token (the edge refused it). A token exchanged for a revoked key is refused
   * by the edge whenever it was issued (it names the key), so the next exchange settles it.
   */
  forget(key: string): void {
    this.held.delete(idOf(key));
  }

  private async exchange(id: string, exchange: () => Promise<ExchangedToken>): Promise<Held> {
    const token = await exchange();
    return { token, renewAt: Date.parse(token.accessTokenExpiresAt) - REFRESH_BEFORE_MS };
  }
}

const idOf = (key: string): string => createHash('sha256').update(key).digest('base64url');
