import { Injectable } from '@nestjs/common';
import { AppError } from '@mission-control/errors';
import { TokenService, type IssuedAccessToken } from '../auth/token.service';
import { sameHash, sha256 } from '../common/secrets';
import { AgentKeysRepository } from './agent-keys.repository';

const AGENT_KEY = /^mca_([a-z0-9]{8,32})_([A-Za-z0-9_-]{20,})$/;

// One answer for a malformed, unknown, wrong, revoked or expired key, so keys cannot be probed.
const badAgentKey = () => AppError.unauthenticated('Invalid agent key');

/** Agents sign in here: their key (issued by the agent service) for a short-lived token. */
@Injectable()
export class AgentKeysService {
  constructor(
    private readonly keys: AgentKeysRepository,
    private readonly tokens: TokenService,
  ) {}

  /**
   * The token names the agent, its workspace and the key (so the edge refuses it once the key is
   * revoked, even if this service learned of that later) and carries no role: what an agent may
   * do is decided by the services from who it is (e.g. the mission it claimed), not from a role.
   */
  async exchange(key: string): Promise<IssuedAccessToken> {
    const match = AGENT_KEY.exec(key);
    if (!match) {
      throw badAgentKey();
    }
    const found = await this.keys.findForExchange(match[1]!);
    const now = new Date();
    // A sub-agent's key past its expiry is refused even before its revocation arrives.
    const expired = found?.expiresAt ? found.expiresAt <= now : false;
    if (!found || found.revokedAt || expired || !sameHash(found.secretHash, sha256(key))) {
      throw badAgentKey();
    }
    await this.keys.touch(found.id, now);
    return this.tokens.issue({
      kind: 'agent',
      subject: found.agentId,
      workspaceId: found.workspaceId,
      role: null,
      scopes: null,
      agentKeyId: found.id,
    });
  }
}
