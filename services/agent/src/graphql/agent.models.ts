import {
  Directive,
  Field,
  GraphQLISODateTime,
  ID,
  InputType,
  Int,
  ObjectType,
  registerEnumType,
} from '@nestjs/graphql';
import type { ReportedStatus } from '../agents/agent.commands';
import type { AgentStatus } from '../agents/agent-status';
import type { AgentRecord } from '../agents/agents.repository';
import { AgentModule } from '../agent.module';

// GraphQL enum names are upper case; their values are the lower-case names the service uses.
export enum AgentStatusValue {
  INACTIVE = 'inactive',
  IDLE = 'idle',
  BUSY = 'busy',
  OFFLINE = 'offline',
  ERROR = 'error',
}
export enum HeartbeatStatusValue {
  IDLE = 'idle',
  BUSY = 'busy',
  ERROR = 'error',
}
registerEnumType(AgentStatusValue, {
  registerIn: () => AgentModule,
  name: 'AgentStatus',
  description: 'Where an agent is: inactive until activated; offline when heartbeats stop.',
});
registerEnumType(HeartbeatStatusValue, {
  registerIn: () => AgentModule,
  name: 'HeartbeatStatus',
  description: 'What an agent may report about itself in a heartbeat.',
});

// Checked here so the enums and the service's names cannot drift apart.
export const asReportedStatus = (value: HeartbeatStatusValue): ReportedStatus =>
  value satisfies ReportedStatus;
const toStatusValue = (status: AgentStatus): AgentStatusValue => status as AgentStatusValue;

@ObjectType({
  registerIn: () => AgentModule,
  description: 'An AI agent in a workspace’s registry, with its live status.',
})
@Directive('@key(fields: "id")')
export class Agent {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field()
  name!: string;

  @Field({ description: 'Free text such as lead, specialist or intern.' })
  role!: string;

  @Field(() => [String])
  capabilities!: string[];

  @Field({ description: 'The agent’s configuration: a JSON object, as text.' })
  config!: string;

  @Field()
  model!: string;

  @Field()
  provider!: string;

  @Field(() => AgentStatusValue)
  status!: AgentStatusValue;

  @Field(() => String, {
    nullable: true,
    description: 'What the agent last said it was doing; null when offline or inactive.',
  })
  activity!: string | null;

  @Field(() => GraphQLISODateTime, { nullable: true })
  lastHeartbeatAt!: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The agent that spawned this sub-agent; null for an agent a person registered.',
  })
  parentId!: string | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When this sub-agent’s time to live ends: it is then deactivated and its key revoked. Null for an agent a person registered.',
  })
  expiresAt!: Date | null;

  @Field(() => Int, { description: 'The version of the agent’s event stream shown here.' })
  version!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType({
  registerIn: () => AgentModule,
  description: 'A new agent key. The key is shown here once and stored nowhere.',
})
export class IssuedAgentKey {
  @Field({ description: 'Exchange it with `exchangeAgentKey` for a short-lived access token.' })
  key!: string;

  @Field(() => ID)
  keyId!: string;

  @Field({ description: 'The public part of the key, to tell keys apart.' })
  prefix!: string;

  @Field(() => Agent)
  agent!: Agent;
}

export const agentOf = (record: AgentRecord): Agent => {
  const { parentAgentId, ...rest } = record;
  return { ...rest, parentId: parentAgentId, status: toStatusValue(record.status) };
};

@ObjectType({
  registerIn: () => AgentModule,
  description: 'A new sub-agent and its key. The key is shown here once and stored nowhere.',
})
export class SpawnedSubAgent {
  @Field({
    description:
      'Exchange it with `exchangeAgentKey` for a short-lived access token; it stops working at `expiresAt`.',
  })
  key!: string;

  @Field(() => ID)
  keyId!: string;

  @Field({ description: 'The public part of the key, to tell keys apart.' })
  prefix!: string;

  @Field(() => GraphQLISODateTime)
  expiresAt!: Date;

  @Field(() => Agent, { description: 'The sub-agent, active.' })
  agent!: Agent;
}

@InputType({ registerIn: () => AgentModule })
export class SpawnSubAgentInput {
  @Field()
  name!: string;

  @Field(() => Int, {
    description:
      'How long the sub-agent lives, in seconds (at most the server’s limit, 3600 by default).',
  })
  ttlSeconds!: number;

  @Field(() => String, { nullable: true, description: 'The parent’s when left out.' })
  role?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Among the parent’s capabilities; the parent’s when left out.',
  })
  capabilities?: string[] | null;

  @Field(() => String, { nullable: true, description: 'The parent’s when left out.' })
  model?: string | null;

  @Field(() => String, { nullable: true, description: 'The parent’s when left out.' })
  provider?: string | null;
}

@InputType({ registerIn: () => AgentModule })
export class RegisterAgentInput {
  @Field()
  name!: string;

  @Field()
  role!: string;

  @Field(() => [String], { nullable: true })
  capabilities?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A JSON object, as text.' })
  config?: string | null;

  @Field(() => String, { nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true })
  provider?: string | null;
}

@InputType({ registerIn: () => AgentModule, description: 'Fields left out stay as they are.' })
export class UpdateAgentInput {
  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => String, { nullable: true })
  role?: string | null;

  @Field(() => [String], { nullable: true })
  capabilities?: string[] | null;

  @Field(() => String, { nullable: true, description: 'A JSON object, as text.' })
  config?: string | null;

  @Field(() => String, { nullable: true })
  model?: string | null;

  @Field(() => String, { nullable: true })
  provider?: string | null;
}
