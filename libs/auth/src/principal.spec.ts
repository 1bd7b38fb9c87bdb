import { AppError, ErrorCode } from '@mission-control/errors';
import {
  assertCanGrant,
  assertCanGrantRole,
  assertPermission,
  assertWorkspace,
  can,
  type Principal,
  permissionsOf,
} from './principal';

const principal = (overrides: Partial<Principal> = {}): Principal => ({
  kind: 'user',
  subject: 'user-1',
  workspaceId: 'ws-1',
  role: 'viewer',
  scopes: null,
  ...overrides,
});

function thrown(fn: () => void): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected an AppError');
}

describe('permissionsOf / can', () => {
  it('gives the role its permissions when there are no scopes', () => {
    const operator = principal({ role: 'agent_operator' });
    expect([...permissionsOf(operator)].sort()).toEqual(['manage_agents', 'view_analytics']);
    expect(can(operator, 'manage_agents')).toBe(true);
    expect(can(operator, 'create_missions')).toBe(false);
  });

  it('narrows to the scopes', () => {
    const key = principal({ kind: 'api_key', role: 'admin', scopes: ['view_analytics'] });
    expect([...permissionsOf(key)]).toEqual(['view_analytics']);
    expect(can(key, 'view_analytics')).toBe(true);
    expect(can(key, 'admin_access')).toBe(false);
  });

  it('never widens beyond the role', () => {
    const agent = principal({
      kind: 'agent',
      role: 'viewer',
      scopes: ['admin_access', 'manage_agents', 'view_analytics'],
    });
    expect([...permissionsOf(agent)]).toEqual(['view_analytics']);
    expect(can(agent, 'admin_access')).toBe(false);
    expect(can(agent, 'manage_agents')).toBe(false);
  });

  it('grants nothing with empty scopes or without a role', () => {
    expect(permissionsOf(principal({ role: 'admin', scopes: [] })).size).toBe(0);
    expect(can(principal({ role: 'admin', scopes: [] }), 'view_analytics')).toBe(false);
    const noWorkspace = principal({ workspaceId: null, role: null });
    expect(permissionsOf(noWorkspace).size).toBe(0);
    expect(can(noWorkspace, 'view_analytics')).toBe(false);
  });
});

describe('assertWorkspace', () => {
  it('passes in the principal workspace', () => {
    expect(() => assertWorkspace(principal(), 'ws-1')).not.toThrow();
  });

  it('forbids another workspace with the same message whether or not it exists', () => {
    const other = thrown(() => assertWorkspace(principal(), 'ws-2'));
    const missing = thrown(() => assertWorkspace(principal(), 'does-not-exist'));
    expect(other.code).toBe(ErrorCode.FORBIDDEN);
    expect(missing.code).toBe(ErrorCode.FORBIDDEN);
    expect(other.message).toBe(missing.message);
    expect(other.message).not.toContain('ws-2');
  });

  it('forbids a principal that has not chosen a workspace', () => {
    expect(
      thrown(() => assertWorkspace(principal({ workspaceId: null, role: null }), 'ws-1')).code,
    ).toBe(ErrorCode.FORBIDDEN);
  });
});

describe('assertPermission', () => {
  it('passes when the principal can, forbids otherwise', () => {
    expect(() => assertPermission(principal(), 'view_analytics')).not.toThrow();
    const error = thrown(() => assertPermission(principal(), 'manage_agents'));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
  });
});

describe('assertCanGrant', () => {
  const narrowKey = principal({
    kind: 'api_key',
    role: 'admin',
    scopes: ['admin_access', 'view_analytics'],
  });

  it('lets a principal grant what it holds, and no more', () => {
    expect(() => assertCanGrant(narrowKey, ['admin_access'])).not.toThrow();
    expect(() => assertCanGrantRole(narrowKey, 'viewer')).not.toThrow();
    const error = thrown(() => assertCanGrant(narrowKey, ['admin_access', 'manage_agents']));
    expect(error.code).toBe(ErrorCode.FORBIDDEN);
    expect(error.details).toEqual({ missingPermissions: ['manage_agents'] });
    expect(thrown(() => assertCanGrantRole(narrowKey, 'admin')).code).toBe(ErrorCode.FORBIDDEN);
    expect(thrown(() => assertCanGrantRole(narrowKey, 'agent_operator')).code).toBe(
      ErrorCode.FORBIDDEN,
    );
  });

  it('lets an unscoped admin grant every role and scope', () => {
    const admin = principal({ role: 'admin' });
    expect(() => assertCanGrantRole(admin, 'admin')).not.toThrow();
  });
});
