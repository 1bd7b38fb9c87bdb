import type { Principal, VerifiedAccess } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { LiveEvent } from '../live/live-event';

type RevokingEvent = Pick<LiveEvent, 'type' | 'data'>;

const field = (data: LiveEvent['data'], name: string): string | undefined => {
  const value =
    typeof data === 'object' && data !== null && !Array.isArray(data) ? data[name] : undefined;
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

/** What an event takes away, as the keys of the tokens it ends (see {@link keysOfPrincipal}). */
export function revokedKeysOf(event: RevokingEvent): string[] {
  const { data } = event;
  switch (event.type) {
    case 'identity.v1.MemberRoleChanged':
    case 'identity.v1.MemberRemoved': {
      const workspaceId = field(data, 'workspaceId');
      const userId = field(data, 'userId');
      return workspaceId && userId ? [`member:${workspaceId}:${userId}`] : [];
    }
    case 'identity.v1.SessionEnded': {
      const sessionId = field(data, 'sessionId');
      return sessionId ? [`session:${sessionId}`] : [];
    }
    case 'identity.v1.ApiKeyRevoked': {
      const apiKeyId = field(data, 'apiKeyId');
      return apiKeyId ? [`api_key:${apiKeyId}`] : [];
    }
    case 'agent.v1.AgentKeyRevoked':
    case 'agent.v1.AgentDeactivated': {
      const agentId = field(data, 'agentId');
      return agentId ? [`agent:${agentId}`] : [];
    }
    default:
      return [];
  }
}

/** The agent key an event revokes: every token exchanged for it is refused, whenever issued. */
function revokedAgentKeyOf(event: RevokingEvent): string | undefined {
  return event.type === 'agent.v1.AgentKeyRevoked' ? field(event.data, 'keyId') : undefined;
}

/**
 * How many windows a revoked agent key is remembered. Identity learns of the revocation from the
 * same events as this replica, in its own time, and may still exchange the key meanwhile: such a
 * token is refused for as long as identity might lag plus the token's life.
 */
const REVOKED_KEY_WINDOWS = 4;

/** The keys under which a token's access can be taken away. */
export function keysOfPrincipal(principal: Principal): string[] {
  switch (principal.kind) {
    case 'user':
      return [
        ...(principal.sessionId ? [`session:${principal.sessionId}`] : []),
        ...(principal.workspaceId ? [`member:${principal.workspaceId}:${principal.subject}`] : []),
      ];
    case 'api_key':
      return [`api_key:${principal.subject}`];
    case 'agent':
      return [`agent:${principal.subject}`];
    default: {
      const unexpected: never = principal.kind;
      throw new Error(`Unknown principal kind ${String(unexpected)}`);
    }
  }
}

export type RevocationsOptions = {
  /**
   * How far back the live feed starts, and how long a revocation is remembered: a token issued
   * longer ago than this is refused (access tokens live 15 minutes; the default window is as long).
   */
  windowMs: number;
  now?: () => number;
};

/**
 * Access taken away, fed by the identity and agent events every replica already reads for live
 * push: a role change, a removal, an ended session, a revoked API key, a revoked or deactivated
 * agent. A token issued before the moment this replica learned of it is refused, and open
 * connections holding one are told (see docs/adr/0004-immediate-revocation.md).
 */
export class Revocations {
  /** Key → when this replica learned access under it was taken away (epoch ms). */
  private readonly revokedAt = new Map<string, number>();
  /** Agent key id → when this replica learned it was revoked (epoch ms). */
  private readonly revokedAgentKeys = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  private readonly now: () => number;
  /** Nothing earlier than this is known here: tokens issued before it cannot be checked. */
  private knownFrom: number;
  private lastPrune = 0;

  constructor(private readonly options: RevocationsOptions) {
    this.now = options.now ?? Date.now;
    this.knownFrom = this.now();
  }

  /** Where the feed starts: events from this moment on reach {@link apply}. */
  coverFrom(epochMs: number): void {
    this.knownFrom = epochMs;
  }

  /** Records what the event takes away, as of now, and tells the listeners. */
  apply(event: RevokingEvent): void {
    const keys = revokedKeysOf(event);
    if (keys.length === 0) {
      return;
    }
    const at = this.now();
    for (const key of keys) {
      this.revokedAt.set(key, at);
    }
    const agentKey = revokedAgentKeyOf(event);
    if (agentKey !== undefined) {
      this.revokedAgentKeys.set(agentKey, at);
    }
    this.prune(at);
    for (const listener of this.listeners) {
      listener();
    }
  }

  /** Why the token no longer gives access, or undefined while it still does. */
  problem(access: VerifiedAccess): string | undefined {
    const now = this.now();
    if (access.issuedAtMs < Math.max(this.knownFrom, now - this.options.windowMs)) {
      return 'Access token issued before this server can vouch for it: refresh it';
    }
    const { agentKeyId } = access.principal;
    if (agentKeyId !== undefined && this.revokedAgentKeys.has(agentKeyId)) {
      return 'The agent key was revoked: issue a new one';
    }
    for (const key of keysOfPrincipal(access.principal)) {
      const at = this.revokedAt.get(key);
      if (at !== undefined && access.issuedAtMs <= at) {
        return key.startsWith('session:')
          ? 'Your session has ended: log in again'
          : 'Your access has changed: refresh your access token';
      }
    }
    return undefined;
  }

  /** Throws UNAUTHENTICATED (a client refreshes its token on it) when access was taken away. */
  assertCurrent(access: VerifiedAccess): void {
    const problem = this.problem(access);
    if (problem !== undefined) {
      throw AppError.unauthenticated(problem);
    }
  }

  /** Calls `listener` after each event that takes access away; returns the way to stop. */
  onRevoke(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Entries older than the window can go: tokens that old are refused anyway. */
  private prune(now: number): void {
    if (now - this.lastPrune < this.options.windowMs / 10) {
      return;
    }
    this.lastPrune = now;
    const horizon = now - this.options.windowMs;
    for (const [key, at] of this.revokedAt) {
      if (at < horizon) {
        this.revokedAt.delete(key);
      }
    }
    const keyHorizon = now - REVOKED_KEY_WINDOWS * this.options.windowMs;
    for (const [key, at] of this.revokedAgentKeys) {
      if (at < keyHorizon) {
        this.revokedAgentKeys.delete(key);
      }
    }
  }
}
