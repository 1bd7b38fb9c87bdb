export const ROLES = ['admin', 'mission_commander', 'agent_operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'manage_agents',
  'create_missions',
  'view_analytics',
  'admin_access',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  admin: Object.freeze(['manage_agents', 'create_missions', 'view_analytics', 'admin_access']),
  mission_commander: Object.freeze(['create_missions', 'view_analytics']),
  agent_operator: Object.freeze(['manage_agents', 'view_analytics']),
  viewer: Object.freeze(['view_analytics']),
} satisfies Record<Role, readonly Permission[]>);

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
