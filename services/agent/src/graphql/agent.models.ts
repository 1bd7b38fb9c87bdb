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

export const agentOf = (record: AgentRecord): Agent => ({
  ...record,
  status: toStatusValue(record.status),
});

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
