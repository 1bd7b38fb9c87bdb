import { callerOfToken } from './mission-control-graph';

const token = (claims: unknown) =>
  `header.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.signature`;

describe('callerOfToken', () => {
  it('reads whom an access token speaks for', () => {
    expect(callerOfToken(token({ sub: 'agent-1', knd: 'agent', wid: 'ws-1', rol: null }))).toEqual({
      kind: 'agent',
      id: 'agent-1',
      workspaceId: 'ws-1',
    });
    expect(callerOfToken(token({ sub: 'user-1', knd: 'user', wid: null }))).toEqual({
      kind: 'user',
      id: 'user-1',
      workspaceId: null,
    });
  });

  it.each([
    ['not a JWT', 'mca_abc_def'],
    ['garbage claims', 'a.!!!.c'],
    ['an unknown kind', token({ sub: 'x', knd: 'robot', wid: null })],
    ['no subject', token({ knd: 'agent', wid: 'ws-1' })],
  ])('refuses %s as UNAUTHENTICATED', (_case, value) => {
    expect(() => callerOfToken(value)).toThrow(
      expect.objectContaining({ code: 'UNAUTHENTICATED' }),
    );
  });
});
