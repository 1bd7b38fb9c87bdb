import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { Public } from '@mission-control/auth';
import { AccessToken } from '../graphql/identity.models';
import { AgentKeysService } from './agent-keys.service';

@Resolver()
export class AgentKeysResolver {
  constructor(private readonly agentKeys: AgentKeysService) {}

  @Public()
  @Mutation(() => AccessToken, {
    description:
      'A short-lived access token for an agent, from the key `issueAgentKey` gave it. The token acts as the agent in its workspace.',
  })
  async exchangeAgentKey(@Args('key') key: string): Promise<AccessToken> {
    const issued = await this.agentKeys.exchange(key);
    return { accessToken: issued.token, accessTokenExpiresAt: issued.expiresAt };
  }
}
