import {
  hasPermission,
  isRole,
  type Permission,
  PERMISSIONS,
  type Role,
  ROLE_PERMISSIONS,
  ROLES,
} from './roles';

// Written out by hand: a change to the table has to change this test too.
const expected: Record<Role, Record<Permission, boolean>> = {
  admin: { manage_agents: true, create_missions: true, view_analytics: true, admin_access: true },
  mission_commander: {
    manage_agents: false,
    create_missions: true,
    view_analytics: true,
    admin_access: false,
  },
  agent_operator: {
    manage_agents: true,
    create_missions: false,
    view_analytics: true,
    admin_access: false,
  },
  viewer: {
    manage_agents: false,
    create_missions: false,
    view_analytics: true,
    admin_access: false,
  },
};

describe('role permissions', () => {
  const cells = ROLES.flatMap((role) =>
    PERMISSIONS.map((permission) => [role, permission, expected[role][permission]] as const),
  );

  it('covers 4 roles × 4 permissions', () => {
    expect(cells).toHaveLength(16);
  });

  it.each(cells)('%s has %s: %s', (role, permission, allowed) => {
    expect(hasPermission(role, permission)).toBe(allowed);
  });

  it('cannot be changed at run time', () => {
    expect(() => (ROLE_PERMISSIONS.viewer as Permission[]).push('admin_access')).toThrow();
    expect(hasPermission('viewer', 'admin_access')).toBe(false);
  });
});

describe('isRole', () => {
  it('accepts the four roles only', () => {
    expect(ROLES.every((role) => isRole(role))).toBe(true);
    expect(isRole('owner')).toBe(false);
    expect(isRole('Admin')).toBe(false);
    expect(isRole('toString')).toBe(false);
  });
});
