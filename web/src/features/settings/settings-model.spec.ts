import { invitationLink, permissionNames, roleIn } from './settings-model';

describe('settings model', () => {
  it('links to the invitation with the token as one path segment', () => {
    expect(invitationLink('https://mc.example.com', 'ab/c+d')).toBe(
      'https://mc.example.com/invite/ab%2Fc%2Bd',
    );
  });

  it('names scopes for people', () => {
    expect(permissionNames(['VIEW_ANALYTICS', 'ADMIN_ACCESS'])).toBe(
      'View analytics, Admin access',
    );
  });

  it('finds the role in a workspace, null once the membership is gone', () => {
    const memberships = [{ role: 'VIEWER' as const, workspace: { id: 'w1', name: 'Apollo' } }];
    expect(roleIn(memberships, 'w1')).toBe('VIEWER');
    expect(roleIn(memberships, 'w2')).toBeNull();
  });
});
