import type { JWTPayload } from 'jose';
import type { Principal, PrincipalKind } from './principal';
import { isPermission, isRole, type Permission, type Role } from './roles';

/** How a principal travels inside a JWT, in both the access token and the principal header. */
export type PrincipalClaims = {
  sub: string;
  knd: PrincipalKind;
  wid: string | null;
  rol: Role | null;
  scp: Permission[] | null;
  sid?: string;
  aky?: string;
};

const KINDS: readonly PrincipalKind[] = ['user', 'agent', 'api_key'];

const isKind = (value: unknown): value is PrincipalKind =>
  typeof value === 'string' && (KINDS as readonly string[]).includes(value);

const isNonEmptyString = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0;

/** Why a principal is not well formed, or undefined when it is. */
export function principalProblem(principal: Principal): string | undefined {
  if (!isKind(principal.kind)) {
    return 'unknown principal kind';
  }
  if (!isNonEmptyString(principal.subject)) {
    return 'subject is required';
  }
  if (principal.workspaceId !== null && !isNonEmptyString(principal.workspaceId)) {
    return 'workspaceId must be a non-empty string or null';
  }
  if (principal.role !== null && !isRole(principal.role)) {
    return 'unknown role';
  }
  // A role only means something inside a workspace.
  if (principal.role !== null && principal.workspaceId === null) {
    return 'a role requires a workspace';
  }
  if (
    principal.scopes !== null &&
    (!Array.isArray(principal.scopes) || !principal.scopes.every((scope) => isPermission(scope)))
  ) {
    return 'unknown scope';
  }
  if (principal.sessionId !== undefined && !isNonEmptyString(principal.sessionId)) {
    return 'sessionId must be a non-empty string';
  }
  if (
    principal.agentKeyId !== undefined &&
    (principal.kind !== 'agent' || !isNonEmptyString(principal.agentKeyId))
  ) {
    return 'agentKeyId must be a non-empty string, on an agent';
  }
  return undefined;
}

export function claimsOf(principal: Principal): PrincipalClaims {
  return {
    sub: principal.subject,
    knd: principal.kind,
    wid: principal.workspaceId,
    rol: principal.role,
    scp: principal.scopes === null ? null : [...new Set(principal.scopes)],
    ...(principal.sessionId === undefined ? {} : { sid: principal.sessionId }),
    ...(principal.agentKeyId === undefined ? {} : { aky: principal.agentKeyId }),
  };
}

/** The principal carried by verified claims, or undefined when any claim is missing or unknown. */
export function principalFromClaims(payload: JWTPayload): Principal | undefined {
  const { sub, knd, wid, rol, scp, sid, aky } = payload;
  if (!isNonEmptyString(sub) || !isKind(knd)) {
    return undefined;
  }
  if (wid !== null && !isNonEmptyString(wid)) {
    return undefined;
  }
  if (rol !== null && !(typeof rol === 'string' && isRole(rol))) {
    return undefined;
  }
  let scopes: Permission[] | null = null;
  if (scp !== null) {
    if (!Array.isArray(scp)) {
      return undefined;
    }
    const items: unknown[] = scp;
    if (
      !items.every((scope): scope is Permission => typeof scope === 'string' && isPermission(scope))
    ) {
      return undefined;
    }
    scopes = items;
  }
  if (sid !== undefined && !isNonEmptyString(sid)) {
    return undefined;
  }
  if (aky !== undefined && !isNonEmptyString(aky)) {
    return undefined;
  }
  const principal: Principal = {
    kind: knd,
    subject: sub,
    workspaceId: wid,
    role: rol,
    scopes,
    ...(sid === undefined ? {} : { sessionId: sid }),
    ...(aky === undefined ? {} : { agentKeyId: aky }),
  };
  return principalProblem(principal) === undefined ? principal : undefined;
}
