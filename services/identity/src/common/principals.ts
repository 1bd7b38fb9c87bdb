import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';

/** The principal must be a person (not an agent or API key). */
export function requireUser(principal: Principal): string {
  if (principal.kind !== 'user') {
    throw AppError.forbidden('Only a signed-in person can do this');
  }
  return principal.subject;
}
