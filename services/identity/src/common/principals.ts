import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { Actor } from '@mission-control/proto';

/** Who an event says acted. API keys act for integrations and agents: the `agent` actor kind. */
export function actorOf(principal: Principal): Actor {
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

/** The principal must be a person (not an agent or API key). */
export function requireUser(principal: Principal): string {
  if (principal.kind !== 'user') {
    throw AppError.forbidden('Only a signed-in person can do this');
  }
  return principal.subject;
}
