import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { EdgeAuthenticator } from './edge-authenticator';
import { Revocations } from './revocations';

const viewer: Principal = {
  kind: 'user',
  subject: 'u1',
  workspaceId: 'w1',
  role: 'viewer',
  scopes: null,
  sessionId: 's1',
};

describe('EdgeAuthenticator', () => {
  let now = 1_000_000;
  const revocations = new Revocations({ windowMs: 900_000, now: () => now });
  revocations.coverFrom(0);
  const issuedAtMs = now - 1_000;
  const verifyAccess = jest.fn((token: string) =>
    token === 'good.token.sig'
      ? Promise.resolve({ principal: viewer, issuedAtMs })
      : Promise.reject(AppError.unauthenticated('Invalid access token')),
  );
  const sut = new EdgeAuthenticator({ verifyAccess }, revocations);

  it('treats a request without Authorization as anonymous', async () => {
    await expect(sut.authenticate(undefined)).resolves.toBeNull();
    await expect(sut.authenticate('  ')).resolves.toBeNull();
  });

  it('verifies a bearer token', async () => {
    await expect(sut.authenticate('Bearer good.token.sig')).resolves.toEqual(viewer);
    await expect(sut.authenticate('bearer good.token.sig')).resolves.toEqual(viewer);
  });

  it.each(['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', 'good.token.sig'])(
    'refuses %j instead of treating it as anonymous',
    async (header) => {
      await expect(sut.authenticate(header)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    },
  );

  it('passes on the verifier refusing a token', async () => {
    await expect(sut.authenticate('Bearer bad.token.sig')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a cached token as soon as its session ends', async () => {
    await expect(sut.authenticate('Bearer good.token.sig')).resolves.toEqual(viewer);
    now += 10;
    revocations.apply({
      type: 'identity.v1.SessionEnded',
      data: { userId: 'u1', sessionId: 's1', reason: 'SESSION_END_REASON_LOGGED_OUT' },
    });
    await expect(sut.authenticate('Bearer good.token.sig')).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
      message: 'Your session has ended: log in again',
    });
  });
});
