import {
  Directive,
  Field,
  GraphQLISODateTime,
  ID,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import type { Permission, Role } from '@mission-control/auth';
import { IdentityModule } from '../identity.module';

// GraphQL enum names are upper case; their values are the lower-case names the rest of the
// system (tokens, events, libs/auth) uses.
export enum RoleValue {
  ADMIN = 'admin',
  MISSION_COMMANDER = 'mission_commander',
  AGENT_OPERATOR = 'agent_operator',
  VIEWER = 'viewer',
}
export enum PermissionValue {
  MANAGE_AGENTS = 'manage_agents',
  CREATE_MISSIONS = 'create_missions',
  VIEW_ANALYTICS = 'view_analytics',
  ADMIN_ACCESS = 'admin_access',
}
registerEnumType(RoleValue, {
  registerIn: () => IdentityModule,
  name: 'Role',
  description: 'A member’s role in a workspace.',
});
registerEnumType(PermissionValue, {
  registerIn: () => IdentityModule,
  name: 'Permission',
  description: 'What a role or an API key may do.',
});

// The enums' values are exactly libs/auth's: checked here so the two cannot drift apart.
export const asRole = (value: RoleValue): Role => value satisfies Role;
export const asPermission = (value: PermissionValue): Permission => value satisfies Permission;
export const toRoleValue = (role: Role): RoleValue => role as RoleValue;

@ObjectType({ registerIn: () => IdentityModule, description: 'A person with an account.' })
@Directive('@key(fields: "id")')
export class User {
  @Field(() => ID)
  id!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({
  registerIn: () => IdentityModule,
  description: 'A tenant: everything in Mission Control belongs to one.',
})
@Directive('@key(fields: "id")')
export class Workspace {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field()
  slug!: string;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({
  registerIn: () => IdentityModule,
  description: 'A workspace the signed-in person belongs to, with their role.',
})
export class WorkspaceMembership {
  @Field(() => Workspace)
  workspace!: Workspace;

  @Field(() => RoleValue)
  role!: RoleValue;
}

@ObjectType({ registerIn: () => IdentityModule })
export class Member {
  @Field(() => ID)
  userId!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field()
  email!: string;

  @Field()
  name!: string;

  @Field(() => RoleValue)
  role!: RoleValue;

  @Field(() => GraphQLISODateTime)
  joinedAt!: Date;
}

@ObjectType({ registerIn: () => IdentityModule })
export class Invitation {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field()
  email!: string;

  @Field(() => RoleValue)
  role!: RoleValue;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  acceptedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true, description: 'When an admin withdrew it.' })
  revokedAt!: Date | null;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({
  registerIn: () => IdentityModule,
  description: 'An invitation and its token, which is shown only here, once.',
})
export class InvitationPayload {
  @Field(() => Invitation)
  invitation!: Invitation;

  @Field({ description: 'Send this to the invitee; it is not stored and cannot be shown again.' })
  token!: string;
}

@ObjectType({
  registerIn: () => IdentityModule,
  description: 'An API key as listed: never its secret.',
})
export class ApiKey {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field()
  name!: string;

  @Field({ description: 'The public start of the key (`mc_<prefix>_…`), to recognise it.' })
  prefix!: string;

  @Field(() => [PermissionValue])
  scopes!: PermissionValue[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime, { nullable: true })
  revokedAt!: Date | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastUsedAt!: Date | null;
}

@ObjectType({ registerIn: () => IdentityModule })
export class IssuedApiKey {
  @Field(() => ApiKey)
  apiKey!: ApiKey;

  @Field({ description: 'The whole key. Shown only here, once; only its hash is stored.' })
  secret!: string;
}

@ObjectType({
  registerIn: () => IdentityModule,
  description: 'A signed-in session of yours (one browser or device).',
})
export class UserSession {
  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLISODateTime)
  startedAt!: Date;

  @Field(() => GraphQLISODateTime, { description: 'When its token was last refreshed.' })
  lastUsedAt!: Date;

  @Field({ description: 'The session this request comes from.' })
  current!: boolean;
}

@ObjectType({ registerIn: () => IdentityModule })
export class AccessToken {
  @Field()
  accessToken!: string;

  @Field(() => GraphQLISODateTime)
  accessTokenExpiresAt!: Date;
}

@ObjectType({ registerIn: () => IdentityModule })
export class AuthPayload {
  @Field()
  accessToken!: string;

  @Field(() => GraphQLISODateTime)
  accessTokenExpiresAt!: Date;

  @Field({ description: 'Single use: refreshing returns the next one.' })
  refreshToken!: string;

  @Field(() => User)
  user!: User;
}
