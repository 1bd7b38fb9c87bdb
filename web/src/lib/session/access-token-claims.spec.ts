import { workspaceOfToken } from './access-token-claims';

const tokenWith = (claims: object) =>
  ['e30', Buffer.from(JSON.stringify(claims)).toString('base64url'), 'sig'].join('.');

describe('workspaceOfToken', () => {
  it('reads the wid claim', () => {
    expect(workspaceOfToken(tokenWith({ sub: 'u1', wid: 'ws-ünï', rol: 'admin' }))).toBe('ws-ünï');
  });

  it('is null for a token outside any workspace or a malformed one', () => {
    expect(workspaceOfToken(tokenWith({ sub: 'u1', wid: null }))).toBeNull();
    expect(workspaceOfToken('not-a-token')).toBeNull();
    expect(workspaceOfToken('a.%%%.c')).toBeNull();
  });
});
