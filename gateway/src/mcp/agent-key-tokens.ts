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
 * How long a token exchanged right after the edge refused the key's last one is used. The edge
 * learns of a revoked key from the agent service's events, and so does identity, each in its own
 * time: an exchange in between still succeeds. Kept briefly, the key is exchanged again once
 * identity has caught up, and refused then.
 */
export const PROBATION_MS = 10_000;

type Held = { token: ExchangedToken; reuseUntil: number };

/**
 * Tokens exchanged for agent keys that MCP clients send as their bearer (a client's config holds
 * a key, not a token that lapses in 15 minutes). Kept by the key's hash, never the key, and
 * exchanged again before they expire or once the edge refuses them.
 */
export class AgentKeyTokens {
  private readonly held = new LRUCache<string, Promise<Held>>({ max: 10_000 });
  private readonly onProbation = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });

  constructor(private readonly now: () => number = Date.now) {}

  async token(key: string, exchange: () => Promise<ExchangedToken>): Promise<string> {
    const id = idOf(key);
    const pending = this.held.get(id);
    if (pending !== undefined) {
      const current = await pending.catch(() => null);
      if (current && current.reuseUntil > this.now()) {
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

  /** Forgets the key's token (the edge refused it); its next one is kept only briefly. */
  forget(key: string): void {
    const id = idOf(key);
    this.held.delete(id);
    this.onProbation.set(id, true);
  }

  private async exchange(id: string, exchange: () => Promise<ExchangedToken>): Promise<Held> {
    const probation = this.onProbation.get(id) === true;
    const token = await exchange();
    this.onProbation.delete(id);
    const renewAt = Date.parse(token.accessTokenExpiresAt) - REFRESH_BEFORE_MS;
    return {
      token,
      reuseUntil: probation ? Math.min(renewAt, this.now() + PROBATION_MS) : renewAt,
    };
  }
}

const idOf = (key: string): string => createHash('sha256').update(key).digest('base64url');
