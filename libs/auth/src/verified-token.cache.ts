import { decodeJwt } from 'jose';
import { LRUCache } from 'lru-cache';

/**
 * Tokens already verified, kept until they expire (never past their `exp`), so a caller that
 * sends the same token on every request pays for one signature check. Revocation does not change:
 * a JWT is valid until it expires either way.
 */
export class VerifiedTokenCache<T extends object> {
  private readonly cache: LRUCache<string, T>;

  constructor(max = 10_000) {
    this.cache = new LRUCache<string, T>({ max, allowStale: false });
  }

  async get(token: string, verify: (token: string) => Promise<T>): Promise<T> {
    const hit = this.cache.get(token);
    if (hit !== undefined) {
      return hit;
    }
    const value = await verify(token);
    const ttl = remainingMs(token);
    if (ttl > 0) {
      this.cache.set(token, value, { ttl });
    }
    return value;
  }
}

/** How long a token has left; 0 (not cached) when it carries no readable expiry. */
function remainingMs(token: string): number {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 - Date.now() : 0;
  } catch {
    return 0;
  }
}
