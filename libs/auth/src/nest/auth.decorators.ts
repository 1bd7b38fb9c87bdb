import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import { AppError } from '@mission-control/errors';
import type { Principal } from '../principal';
import { isPermission, type Permission } from '../roles';
import { IS_PUBLIC_KEY, REQUIRED_PERMISSIONS_KEY } from './auth.constants';
import { principalOf, requestOf } from './request-principal';

/** Lets a handler (or every handler of a class) run without a principal. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Requires a principal holding every listed permission; on a class and a method, both apply. */
export const RequirePermission = (
  ...permissions: Permission[]
): MethodDecorator & ClassDecorator => {
  // Caught when the module loads rather than silently guarding nothing.
  if (permissions.length === 0) {
    throw new Error('@RequirePermission needs at least one permission');
  }
  const unknown = permissions.filter((permission) => !isPermission(permission));
  if (unknown.length > 0) {
    throw new Error(`@RequirePermission got unknown permissions: ${unknown.join(', ')}`);
  }
  return SetMetadata(REQUIRED_PERMISSIONS_KEY, [...permissions]);
};

/** The verified principal; UNAUTHENTICATED when there is none. */
export const CurrentPrincipal: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(requestOf(context));
    if (principal === undefined) {
      throw AppError.unauthenticated();
    }
    return principal;
  },
);

/** The verified principal, or undefined on a @Public() handler called without one. */
export const OptionalPrincipal: () => ParameterDecorator = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    principalOf(requestOf(context)),
);
