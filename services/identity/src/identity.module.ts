import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTokenIssuer, parseSigningKey } from '@mission-control/auth';
import { topicConsumerProvider, type TopicSubscription } from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { AgentKeysEventsController } from './agent-keys/agent-keys-events.controller';
import { AgentKeysProjection } from './agent-keys/agent-keys.projection';
import { AgentKeysRepository } from './agent-keys/agent-keys.repository';
import { AgentKeysResolver } from './agent-keys/agent-keys.resolver';
import { AgentKeysService } from './agent-keys/agent-keys.service';
import { DATABASE_SCHEMA, PrismaService } from './database/prisma.service';
import { AUTH_SETTINGS, type AuthSettings } from './auth/identity-auth.config';
import { JwksController } from './auth/jwks.controller';
import { PasswordHasher } from './auth/password-hasher';
import { TokenService } from './auth/token.service';
import type { IdentityConfig } from './identity.config';
import { SessionsResolver } from './sessions/sessions.resolver';
import { SessionsService } from './sessions/sessions.service';
import { AuthResolver } from './users/auth.resolver';
import { AuthService } from './users/auth.service';
import { LoginAttemptsRepository } from './users/login-attempts.repository';
import { SessionsRepository } from './users/sessions.repository';
import { UsersRepository } from './users/users.repository';
import { WorkspaceProjection } from './workspaces/workspace.projection';
import { WorkspacesRepository } from './workspaces/workspaces.repository';
import { WorkspacesResolver } from './workspaces/workspaces.resolver';
import { WorkspacesService } from './workspaces/workspaces.service';

/** The resolvers of the identity subgraph; the schema emitter builds the SDL from these alone. */
export const IDENTITY_RESOLVERS = [
  AuthResolver,
  WorkspacesResolver,
  AgentKeysResolver,
  SessionsResolver,
];

/** Users, sessions, workspaces, members, invitations and API keys. */
@Module({})
export class IdentityModule {
  static forRoot(
    config: IdentityConfig,
    eventing: { agentKeys: TopicSubscription } | false,
  ): DynamicModule {
    const settings: AuthSettings = {
      refreshTokenTtlDays: config.REFRESH_TOKEN_TTL_DAYS,
      invitationTtlHours: config.INVITATION_TTL_HOURS,
      loginMaxAttemptsPerAccount: config.LOGIN_MAX_ATTEMPTS_PER_ACCOUNT,
      loginMaxAttemptsPerIp: config.LOGIN_MAX_ATTEMPTS_PER_IP,
      loginWindowSeconds: config.LOGIN_WINDOW_SECONDS,
    };
    return {
      module: IdentityModule,
      controllers: [JwksController, ...(eventing ? [AgentKeysEventsController] : [])],
      providers: [
        { provide: AUTH_SETTINGS, useValue: settings },
        {
          provide: TokenService,
          useFactory: () =>
            new TokenService(
              new AccessTokenIssuer({
                key: parseSigningKey(config.IDENTITY_SIGNING_KEY.reveal()),
                issuer: config.AUTH_ISSUER,
                audience: config.AUTH_AUDIENCE,
                ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
              }),
            ),
        },
        ...(eventing
          ? [
              // The agent service's events keep identity's copy of agent keys current.
              topicConsumerProvider('identity', eventing.agentKeys, {
                schema: DATABASE_SCHEMA,
                prisma: PrismaService,
                logger: nestFieldsLogger('AgentKeysConsumer'),
              }),
            ]
          : []),
        PasswordHasher,
        UsersRepository,
        SessionsRepository,
        LoginAttemptsRepository,
        WorkspacesRepository,
        WorkspaceProjection,
        AuthService,
        SessionsService,
        WorkspacesService,
        AgentKeysRepository,
        AgentKeysProjection,
        AgentKeysService,
        ...IDENTITY_RESOLVERS,
      ],
    };
  }
}
