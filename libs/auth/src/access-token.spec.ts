import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, ErrorCode } from '@mission-control/errors';
import { base64url, decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import {
  AccessTokenIssuer,
  issuedAtMsOf,
  AccessTokenVerifier,
  generateSigningKey,
  type JWK,
  parseSigningKey,
  type SigningKey,
} from './access-token';
import type { Principal } from './principal';

const ISSUER = 'https://identity.mission-control.test';
const AUDIENCE = 'mission-control';
const PUBLIC_MESSAGES = ['Invalid access token', 'Access token expired'];

const user: Principal = {
  kind: 'user',
  subject: 'user-1',
  workspaceId: 'ws-1',
  role: 'mission_commander',
  scopes: null,
  sessionId: 'session-1',
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Asserts the one failure shape a client may see: coded, short, nothing from jose. */
async function expectUnauthenticated(promise: Promise<unknown>): Promise<AppError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(AppError);
  const appError = error as AppError;
  expect(appError.code).toBe(ErrorCode.UNAUTHENTICATED);
  expect(PUBLIC_MESSAGES).toContain(appError.message);
  expect(appError.message).not.toMatch(/claim|signature|JWS|JWT|JWK|"/);
  expect(appError.cause).toBeUndefined();
  return appError;
}

const encodeJson = (value: unknown) => base64url.encode(JSON.stringify(value));

describe('access tokens', () => {
  let key: SigningKey;
  let issuer: AccessTokenIssuer;
  let sut: AccessTokenVerifier;

  beforeAll(async () => {
    key = await generateSigningKey();
    issuer = new AccessTokenIssuer({ key, issuer: ISSUER, audience: AUDIENCE });
    sut = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwks: issuer.jwks() });
  });

  afterEach(() => jest.restoreAllMocks());

  it('round-trips a principal', async () => {
    const before = Date.now();
    const { token, expiresAt } = await issuer.issue(user);
    await expect(sut.verify(token)).resolves.toEqual(user);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 900_000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 900_000);
  });

  it('round-trips a scoped agent without a session', async () => {
    const agent: Principal = {
      kind: 'agent',
      subject: 'agent-7',
      workspaceId: 'ws-1',
      role: 'agent_operator',
      scopes: ['view_analytics'],
    };
    const verified = await sut.verify((await issuer.issue(agent)).token);
    expect(verified).toEqual(agent);
    expect(verified).not.toHaveProperty('sessionId');
  });

  it('carries the agent key a token was exchanged for, and only on an agent', async () => {
    const agent: Principal = {
      kind: 'agent',
      subject: 'agent-7',
      workspaceId: 'ws-1',
      role: null,
      scopes: null,
      agentKeyId: 'key-3',
    };
    const { token } = await issuer.issue(agent);
    expect(decodeJwt(token)).toMatchObject({ aky: 'key-3' });
    await expect(sut.verify(token)).resolves.toEqual(agent);
    await expect(issuer.issue({ ...user, agentKeyId: 'key-3' })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
  });

  it('round-trips a user who has not chosen a workspace', async () => {
    const lobby: Principal = { ...user, workspaceId: null, role: null };
    await expect(sut.verify((await issuer.issue(lobby)).token)).resolves.toEqual(lobby);
  });

  it('signs EdDSA with the kid and the documented claims', async () => {
    const { token } = await issuer.issue(user);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      sub: 'user-1',
      knd: 'user',
      wid: 'ws-1',
      rol: 'mission_commander',
      scp: null,
      sid: 'session-1',
      iss: ISSUER,
      aud: AUDIENCE,
    });
    expect(claims.jti).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(claims.exp! - claims.iat!).toBe(900);
    expect(decodeJwt((await issuer.issue(user)).token).jti).not.toBe(claims.jti);
  });

  it('tells when a token was issued to the millisecond, and falls back to iat', async () => {
    const before = Date.now();
    const { token } = await issuer.issue(user);
    const { principal, issuedAtMs } = await sut.verifyAccess(token);
    expect(principal).toEqual(user);
    expect(issuedAtMs).toBeGreaterThanOrEqual(before);
    expect(issuedAtMs).toBeLessThanOrEqual(Date.now());
    expect(Math.floor(issuedAtMs / 1000)).toBe(decodeJwt(token).iat);
    expect(issuedAtMsOf({ iat: 1_700_000_000 })).toBe(1_700_000_000_000);
    expect(issuedAtMsOf({})).toBeUndefined();
  });

  it('honours ttlSeconds', async () => {
    const short = new AccessTokenIssuer({
      key,
      issuer: ISSUER,
      audience: AUDIENCE,
      ttlSeconds: 30,
    });
    const claims = decodeJwt((await short.issue(user)).token);
    expect(claims.exp! - claims.iat!).toBe(30);
  });

  it('rejects an expired token', async () => {
    const short = new AccessTokenIssuer({ key, issuer: ISSUER, audience: AUDIENCE, ttlSeconds: 1 });
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() - 10_000);
    const { token, expiresAt } = await short.issue(user);
    jest.restoreAllMocks();
    expect(expiresAt.getTime()).toBeLessThan(Date.now());
    const error = await expectUnauthenticated(sut.verify(token));
    expect(error.message).toBe('Access token expired');
  });

  it('rejects a token for another audience or from another issuer', async () => {
    const { token } = await issuer.issue(user);
    const jwks = issuer.jwks();
    await expectUnauthenticated(
      new AccessTokenVerifier({ issuer: ISSUER, audience: 'billing', jwks }).verify(token),
    );
    await expectUnauthenticated(
      new AccessTokenVerifier({ issuer: 'https://evil.test', audience: AUDIENCE, jwks }).verify(
        token,
      ),
    );
  });

  it('rejects a token signed by another key, even under our kid', async () => {
    const other = await generateSigningKey();
    const ownKid = new AccessTokenIssuer({ key: other, issuer: ISSUER, audience: AUDIENCE });
    await expectUnauthenticated(sut.verify((await ownKid.issue(user)).token));
    const stolenKid = new AccessTokenIssuer({
      key: { ...other, kid: key.kid },
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await expectUnauthenticated(sut.verify((await stolenKid.issue(user)).token));
  });

  it('rejects a tampered payload', async () => {
    const { token } = await issuer.issue(user);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as object;
    const forged = `${header}.${encodeJson({ ...claims, rol: 'admin' })}.${signature}`;
    await expectUnauthenticated(sut.verify(forged));
  });

  it('rejects an unsigned `alg: none` token', async () => {
    const claims = decodeJwt((await issuer.issue(user)).token);
    const unsigned = `${encodeJson({ alg: 'none', typ: 'at+jwt', kid: key.kid })}.${encodeJson({ ...claims, rol: 'admin' })}.`;
    await expectUnauthenticated(sut.verify(unsigned));
  });

  it('rejects an HS256 token keyed with the public key', async () => {
    const claims = decodeJwt((await issuer.issue(user)).token);
    const confused = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt', kid: key.kid })
      .sign(base64url.decode(key.publicJwk.x!));
    await expectUnauthenticated(sut.verify(confused));
  });

  it('rejects a validly signed token with an unknown role or missing claims', async () => {
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'EdDSA', typ: 'at+jwt', kid: key.kid })
        .setJti('f2d0c3f4-8d4b-4c55-9d1c-3a3e4d2b1a00')
        .setIssuedAt()
        .setExpirationTime('5m')
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .sign(key.privateJwk);
    const good = { sub: 'user-1', knd: 'user', wid: 'ws-1', rol: 'viewer', scp: null };
    await expect(sut.verify(await signed(good))).resolves.toMatchObject({ role: 'viewer' });
    await expectUnauthenticated(sut.verify(await signed({ ...good, rol: 'owner' })));
    await expectUnauthenticated(sut.verify(await signed({ ...good, scp: ['everything'] })));
    await expectUnauthenticated(sut.verify(await signed({ ...good, knd: 'robot' })));
    await expectUnauthenticated(sut.verify(await signed({ ...good, wid: null })));
    const { wid: _wid, ...withoutWorkspace } = good;
    await expectUnauthenticated(sut.verify(await signed(withoutWorkspace)));
  });

  it('rejects garbage', async () => {
    await expectUnauthenticated(sut.verify('not-a-token'));
    await expectUnauthenticated(sut.verify(''));
  });

  it('refuses to issue for a malformed principal', async () => {
    const error = await rejection(issuer.issue({ ...user, workspaceId: null }));
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.VALIDATION_ERROR);
  });

  it('publishes the public key only', () => {
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toEqual({
      kty: 'OKP',
      crv: 'Ed25519',
      x: key.publicJwk.x,
      kid: key.kid,
      alg: 'EdDSA',
      use: 'sig',
    });
    expect(keys[0]).not.toHaveProperty('d');
    expect(JSON.stringify(issuer.jwks())).not.toContain(key.privateJwk.d!);
  });

  it('keeps private fields out of the key set even if the stored public JWK has them', () => {
    const leaky = new AccessTokenIssuer({
      key: { ...key, publicJwk: { ...key.privateJwk } },
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    expect(leaky.jwks().keys[0]).not.toHaveProperty('d');
  });
});

describe('signing keys', () => {
  it('uses the JWK thumbprint as kid and exports an extractable pair', async () => {
    const key = await generateSigningKey();
    expect(key.privateJwk).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(typeof key.privateJwk.d).toBe('string');
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await generateSigningKey()).kid).not.toBe(key.kid);
  });

  it('parses the JSON it is stored as', async () => {
    const key = await generateSigningKey();
    expect(parseSigningKey(JSON.stringify(key))).toEqual(key);
  });

  it('rejects malformed keys with VALIDATION_ERROR and never echoes the private key', async () => {
    const key = await generateSigningKey();
    const other = await generateSigningKey();
    const cases: string[] = [
      'not json',
      '[]',
      JSON.stringify({ ...key, kid: '' }),
      JSON.stringify({ ...key, privateJwk: { ...key.privateJwk, crv: 'Ed448' } }),
      JSON.stringify({ ...key, privateJwk: key.publicJwk }),
      JSON.stringify({ ...key, publicJwk: key.privateJwk }),
      JSON.stringify({ ...key, publicJwk: other.publicJwk }),
      JSON.stringify({ ...key, privateJwk: { ...other.privateJwk, x: key.publicJwk.x } }),
      JSON.stringify({ ...key, privateJwk: { ...key.privateJwk, d: 'AAAA' } }),
    ];
    for (const json of cases) {
      let error: unknown;
      try {
        parseSigningKey(json);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe(ErrorCode.VALIDATION_ERROR);
      expect((error as AppError).message).not.toContain(key.privateJwk.d!);
    }
  });
});

describe('AccessTokenVerifier with a remote key set', () => {
  let server: Server;
  let url: string;
  let fetches = 0;
  let respond: () => { status: number; body: { keys: JWK[] } | string };
  let issuer: AccessTokenIssuer;

  beforeAll(async () => {
    issuer = new AccessTokenIssuer({
      key: await generateSigningKey(),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    server = createServer((_request, response) => {
      fetches += 1;
      const { status, body } = respond();
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(typeof body === 'string' ? body : JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    fetches = 0;
  });

  it('fetches the key set once and caches it', async () => {
    respond = () => ({ status: 200, body: issuer.jwks() });
    const sut = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: url });
    await expect(sut.verify((await issuer.issue(user)).token)).resolves.toEqual(user);
    await expect(sut.verify((await issuer.issue(user)).token)).resolves.toEqual(user);
    expect(fetches).toBe(1);
  });

  it('rejects a token whose kid the key set does not know', async () => {
    respond = () => ({ status: 200, body: issuer.jwks() });
    const sut = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: url });
    const stranger = new AccessTokenIssuer({
      key: await generateSigningKey(),
      issuer: ISSUER,
      audience: AUDIENCE,
    });
    await expectUnauthenticated(sut.verify((await stranger.issue(user)).token));
  });

  it('reports an unavailable key set as our failure, not the caller’s', async () => {
    respond = () => ({ status: 503, body: 'upstream down' });
    const sut = new AccessTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUrl: url });
    const error = await rejection(sut.verify((await issuer.issue(user)).token));
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(AppError);
    expect((error as Error).message).toBe('Access token signing keys are unavailable');
  });
});
