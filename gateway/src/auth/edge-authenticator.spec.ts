import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { EdgeAuthenticator } from './edge-authenticator';

const viewer: Principal = {
  kind: 'user',
  subject: 'u1',
  workspaceId: 'w1',
  role: 'viewer',
  scopes: null,
};

describe('EdgeAuthenticator', () => {
  const verify = jest.fn((token: string) =>
    token === 'good.token.sig'
      ? Promise.resolve(viewer)
      : Promise.reject(AppError.unauthenticated('Invalid access token')),
  );
  const sut = new EdgeAuthenticator({ verify });

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
});
