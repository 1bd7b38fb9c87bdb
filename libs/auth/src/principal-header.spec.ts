import { AppError, ErrorCode } from '@mission-control/errors';
import { base64url, decodeJwt, decodeProtectedHeader } from 'jose';
import { AccessTokenIssuer, generateSigningKey } from './access-token';
import type { Principal } from './principal';
import { signPrincipalHeader, verifyPrincipalHeader } from './principal-header';

const SECRET = 'a-shared-secret-that-is-long-enough-000';
const operator: Principal = {
  kind: 'api_key',
  subject: 'key-1',
  workspaceId: 'ws-1',
  role: 'agent_operator',
  scopes: ['view_analytics'],
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function expectUnauthenticated(promise: Promise<unknown>): Promise<AppError> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(ErrorCode.UNAUTHENTICATED);
  expect((error as AppError).message).toMatch(
    /^Principal header expired$|^Invalid principal header$/,
  );
  return error as AppError;
}

describe('principal header', () => {
  afterEach(() => jest.restoreAllMocks());

  it('round-trips the principal and the request id', async () => {
    const value = await signPrincipalHeader(operator, SECRET, { requestId: 'req-42' });
    await expect(verifyPrincipalHeader(value, SECRET)).resolves.toEqual({
      principal: operator,
      requestId: 'req-42',
    });
  });

  it('round-trips without a request id', async () => {
    const user: Principal = { ...operator, kind: 'user', scopes: null, sessionId: 's-1' };
    const verified = await verifyPrincipalHeader(await signPrincipalHeader(user, SECRET), SECRET);
    expect(verified).toEqual({ principal: user });
  });

  it('is a short-lived HS256 token', async () => {
    const value = await signPrincipalHeader(operator, SECRET);
    expect(decodeProtectedHeader(value).alg).toBe('HS256');
    const claims = decodeJwt(value);
    expect(claims.exp! - claims.iat!).toBe(60);
    const longer = decodeJwt(await signPrincipalHeader(operator, SECRET, { ttlSeconds: 5 }));
    expect(longer.exp! - longer.iat!).toBe(5);
  });

  it('rejects a header signed with another secret', async () => {
    const value = await signPrincipalHeader(operator, 'another-shared-secret-that-is-long-enough');
    await expectUnauthenticated(verifyPrincipalHeader(value, SECRET));
  });

  it('rejects an expired header', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.now() - 120_000);
    const value = await signPrincipalHeader(operator, SECRET);
    jest.restoreAllMocks();
    const error = await expectUnauthenticated(verifyPrincipalHeader(value, SECRET));
    expect(error.message).toBe('Principal header expired');
  });

  it('rejects a tampered header', async () => {
    const value = await signPrincipalHeader(operator, SECRET);
    const [header, payload, signature] = value.split('.');
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload!))) as object;
    const widened = base64url.encode(JSON.stringify({ ...claims, rol: 'admin', scp: null }));
    await expectUnauthenticated(verifyPrincipalHeader(`${header}.${widened}.${signature}`, SECRET));
    const otherWorkspace = base64url.encode(JSON.stringify({ ...claims, wid: 'ws-2' }));
    await expectUnauthenticated(
      verifyPrincipalHeader(`${header}.${otherWorkspace}.${signature}`, SECRET),
    );
  });

  it('rejects garbage', async () => {
    await expectUnauthenticated(verifyPrincipalHeader('', SECRET));
    await expectUnauthenticated(verifyPrincipalHeader('a.b.c', SECRET));
  });

  it('refuses a secret shorter than 32 characters on both ends', async () => {
    const short = 'x'.repeat(31);
    const signError = await rejection(signPrincipalHeader(operator, short));
    expect(signError).not.toBeInstanceOf(AppError);
    const verifyError = await rejection(verifyPrincipalHeader('a.b.c', short));
    expect(verifyError).not.toBeInstanceOf(AppError);
    expect((verifyError as Error).message).toMatch(/at least 32 characters/);
  });
});

describe('principal header and access tokens', () => {
  it('never accepts an access token as a principal header', async () => {
    const key = await generateSigningKey();
    const issuer = new AccessTokenIssuer({ key, issuer: 'gateway', audience: 'subgraph' });
    const { token } = await issuer.issue(operator);
    await expectUnauthenticated(verifyPrincipalHeader(token, SECRET));
  });
});
