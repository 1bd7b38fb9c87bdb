import { randomUUID } from 'node:crypto';
import type { Principal, Role } from '@mission-control/auth';

/** A person acting in a workspace with a role, as identity's access token says. */
export const memberPrincipal = (workspaceId: string, role: Role): Principal => ({
  kind: 'user',
  subject: randomUUID(),
  workspaceId,
  role,
  scopes: null,
});

/**
 * An agent acting as itself, as identity's token for an agent key says: its workspace and no
 * role (what an agent may do follows from who it is, e.g. the mission it claimed).
 */
export const agentPrincipal = (workspaceId: string, agentId: string = randomUUID()): Principal => ({
  kind: 'agent',
  subject: agentId,
  workspaceId,
  role: null,
  scopes: null,
});
