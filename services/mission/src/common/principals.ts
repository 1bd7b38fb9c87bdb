import type { Principal } from '@mission-control/auth';
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
