import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError } from '@mission-control/errors';
import { assertPermission, type Principal } from '../principal';
import { PRINCIPAL_HEADER, verifyPrincipalHeader } from '../principal-header';
import { VerifiedTokenCache } from '../verified-token.cache';
import type { Permission } from '../roles';
import {
  AUTH_MODULE_OPTIONS,
  type AuthModuleOptions,
  IS_PUBLIC_KEY,
  REQUIRED_PERMISSIONS_KEY,
} from './auth.constants';
import {
  hasVerdict,
  isRequestObject,
  principalOf,
  rememberPrincipal,
  requestOf,
} from './request-principal';

/**
 * Deny by default: every handler needs a principal forwarded by the gateway unless it is
 * @Public(). Registered globally by AuthModule.
 */
@Injectable()
export class PrincipalGuard implements CanActivate {
  private readonly verified = new VerifiedTokenCache<{ principal: Principal }>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_MODULE_OPTIONS) private readonly options: AuthModuleOptions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    const isPublic =
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true;
    const required = targets.flatMap(
      (target) =>
        this.reflector.get<Permission[] | undefined>(REQUIRED_PERMISSIONS_KEY, target) ?? [],
    );

    // Verified even on public handlers: a forged header is an attack, not an anonymous call.
    const principal = await this.authenticate(requestOf(context));
    if (isPublic && required.length === 0) {
      return true;
    }
    if (principal === undefined) {
      throw AppError.unauthenticated();
    }
    for (const permission of required) {
      assertPermission(principal, permission);
    }
    return true;
  }

  private async authenticate(request: unknown): Promise<Principal | undefined> {
    if (!isRequestObject(request)) {
      return undefined;
    }
    if (hasVerdict(request)) {
      return principalOf(request);
    }
    const header = headerOf(request);
    if (header === undefined) {
      rememberPrincipal(request, null);
      return undefined;
    }
    const { principal } = await this.verified.get(header, (value) =>
      verifyPrincipalHeader(value, this.options.internalSecret),
    );
    rememberPrincipal(request, principal);
    return principal;
  }
}

function headerOf(request: object): string | undefined {
  const headers = 'headers' in request ? request.headers : undefined;
  if (typeof headers !== 'object' || headers === null || !(PRINCIPAL_HEADER in headers)) {
    return undefined;
  }
  const value: unknown = (headers as Record<string, unknown>)[PRINCIPAL_HEADER];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw AppError.unauthenticated('Invalid principal header');
  }
  return value;
}
