import { AppError } from '@mission-control/errors';
import { hasPermission, type Permission, type Role, ROLE_PERMISSIONS } from './roles';

export type PrincipalKind = 'user' | 'agent' | 'api_key';

export type Principal = {
  kind: PrincipalKind;
  /** User id, agent id or API key id. */
  subject: string;
  /** The workspace the token acts in; null for a user who has not chosen one yet. */
  workspaceId: string | null;
  /** Role in that workspace. */
  role: Role | null;
  /** Agents and API keys: the permissions they were limited to; null means all of the role's. */
  scopes: Permission[] | null;
  /** Users: the refresh-token family. */
  sessionId?: string;
  /**
   * Agents: the key the token was exchanged for. A revoked key's tokens are refused whenever they
   * were issued, so a token that identity issued before it learned of the revocation is too.
   */
  agentKeyId?: string;
};

/** The role's permissions, narrowed to the scopes when there are any: scopes never widen a role. */
export function permissionsOf(principal: Principal): Set<Permission> {
  if (principal.role === null) {
    return new Set();
  }
  const granted = ROLE_PERMISSIONS[principal.role];
  if (principal.scopes === null) {
    return new Set(granted);
  }
  const scopes = new Set(principal.scopes);
  return new Set(granted.filter((permission) => scopes.has(permission)));
}

export function can(principal: Principal, permission: Permission): boolean {
  if (principal.role === null || !hasPermission(principal.role, permission)) {
    return false;
  }
  return principal.scopes === null || principal.scopes.includes(permission);
}

/** Throws FORBIDDEN unless the principal acts in this workspace. */
export function assertWorkspace(principal: Principal, workspaceId: string): void {
  // One message whether the workspace exists or not, so ids cannot be probed.
  if (principal.workspaceId === null || principal.workspaceId !== workspaceId) {
    throw AppError.forbidden('You do not have access to this workspace');
  }
}

/**
 * Throws FORBIDDEN unless an agent acts in this workspace (what only agents do: claim, run,
 * take work); `refusal` says so to anyone else.
 */
export function assertAgentIn(principal: Principal, workspaceId: string, refusal: string): void {
  assertWorkspace(principal, workspaceId);
  if (principal.kind !== 'agent') {
    throw AppError.forbidden(refusal);
  }
}

/** Throws FORBIDDEN unless the principal holds the permission. */
export function assertPermission(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) {
    throw AppError.forbidden(`Missing permission ${permission}`, { permission });
  }
}

/**
 * Who an event says acted, from the caller. API keys act for integrations and agents, so they
 * are recorded with the `agent` actor kind (the event envelope has no API-key kind).
 */
export function actorOf(principal: Principal): { kind: 'user' | 'agent'; id: string } {
  switch (principal.kind) {
    case 'user':
      return { kind: 'user', id: principal.subject };
    case 'agent':
    case 'api_key':
      return { kind: 'agent', id: principal.subject };
    default: {
      const unexpected: never = principal.kind;
      throw new Error(`Unknown principal kind ${String(unexpected)}`);
    }
  }
}

/**
 * Throws FORBIDDEN unless the principal holds every permission it is about to hand out (an API
 * key's scopes, an invited or changed role): what it creates can never do more than it can.
 */
export function assertCanGrant(principal: Principal, permissions: Iterable<Permission>): void {
  const held = permissionsOf(principal);
  const missing = [...new Set(permissions)].filter((permission) => !held.has(permission));
  if (missing.length > 0) {
    throw AppError.forbidden(
      `You cannot grant permissions you do not hold: ${missing.join(', ')}`,
      { missingPermissions: missing },
    );
  }
}

/** Throws FORBIDDEN unless the principal holds every permission of the role. */
export function assertCanGrantRole(principal: Principal, role: Role): void {
  assertCanGrant(principal, ROLE_PERMISSIONS[role]);
}
