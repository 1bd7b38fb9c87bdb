import type { Permission, Role } from '@mission-control/auth';
import { identityV1 } from '@mission-control/proto';

const roleToProto: Record<Role, identityV1.Role> = {
  admin: identityV1.Role.ADMIN,
  mission_commander: identityV1.Role.MISSION_COMMANDER,
  agent_operator: identityV1.Role.AGENT_OPERATOR,
  viewer: identityV1.Role.VIEWER,
};

const permissionToProto: Record<Permission, identityV1.Permission> = {
  manage_agents: identityV1.Permission.MANAGE_AGENTS,
  create_missions: identityV1.Permission.CREATE_MISSIONS,
  view_analytics: identityV1.Permission.VIEW_ANALYTICS,
  admin_access: identityV1.Permission.ADMIN_ACCESS,
};

export const ROLE_VALUES = Object.keys(roleToProto) as [Role, ...Role[]];
export const PERMISSION_VALUES = Object.keys(permissionToProto) as [Permission, ...Permission[]];

export const toProtoRole = (role: Role): identityV1.Role => roleToProto[role];

export function fromProtoRole(role: identityV1.Role): Role {
  const found = ROLE_VALUES.find((candidate) => roleToProto[candidate] === role);
  if (!found) {
    throw new Error(`Unknown role in event: ${role}`);
  }
  return found;
}

export const toProtoPermission = (permission: Permission): identityV1.Permission =>
  permissionToProto[permission];

export function fromProtoPermission(permission: identityV1.Permission): Permission {
  const found = PERMISSION_VALUES.find((candidate) => permissionToProto[candidate] === permission);
  if (!found) {
    throw new Error(`Unknown permission in event: ${permission}`);
  }
  return found;
}
