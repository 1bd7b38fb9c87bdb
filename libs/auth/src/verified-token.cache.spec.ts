import { VerifiedTokenCache } from './verified-token.cache';

const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const tokenExpiringIn = (ms: number, id = 'a') =>
  `${part({ alg: 'HS256' })}.${part({ sub: id, exp: Math.floor((Date.now() + ms) / 1000) })}.sig`;

describe('VerifiedTokenCache', () => {
  it('verifies a token once while it is valid', async () => {
    const cache = new VerifiedTokenCache<{ id: string }>();
    let checks = 0;
    const verify = () => {
      checks += 1;
      return Promise.resolve({ id: 'a' });
    };
    const token = tokenExpiringIn(60_000);
    await cache.get(token, verify);
    await cache.get(token, verify);
    expect(await cache.get(token, verify)).toEqual({ id: 'a' });
    expect(checks).toBe(1);
  });

  it('never answers for a token past its expiry: it is verified again (and refused by then)', async () => {
    const cache = new VerifiedTokenCache<{ id: string }>();
    const token = tokenExpiringIn(1_000);
    await cache.get(token, () => Promise.resolve({ id: 'a' }));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(cache.get(token, () => Promise.reject(new Error('expired')))).rejects.toThrow(
      'expired',
    );
  });

  it('keeps nothing from a failed verification', async () => {
    const cache = new VerifiedTokenCache<{ id: string }>();
    const token = tokenExpiringIn(60_000);
    await expect(cache.get(token, () => Promise.reject(new Error('bad')))).rejects.toThrow('bad');
    expect(await cache.get(token, () => Promise.resolve({ id: 'b' }))).toEqual({ id: 'b' });
  });
});
