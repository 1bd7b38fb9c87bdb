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
import { GraphQLError, GraphQLScalarType } from 'graphql';
import type { Column, Priority } from '../missions/board';
import type { JsonObject } from '../missions/mission-timeline';
import type { MissionRecord } from '../missions/missions.repository';
import { MissionModule } from '../mission.module';

// GraphQL enum names are upper case; their values are the lower-case names the read tables and
// the rest of the service use.
export enum BoardColumnValue {
  BACKLOG = 'backlog',
  TODO = 'todo',
  IN_PROGRESS = 'in_progress',
  REVIEW = 'review',
  DONE = 'done',
  BLOCKED = 'blocked',
}
export enum PriorityValue {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  URGENT = 'urgent',
}
registerEnumType(BoardColumnValue, {
  registerIn: () => MissionModule,
  name: 'BoardColumn',
  description: 'A column of the Kanban board.',
});
registerEnumType(PriorityValue, {
  registerIn: () => MissionModule,
  name: 'MissionPriority',
  description: 'How urgent a mission is.',
});

// The enums' values are exactly the service's: checked here so the two cannot drift apart.
export const asColumn = (value: BoardColumnValue): Column => value satisfies Column;
export const asPriority = (value: PriorityValue): Priority => value satisfies Priority;
export const toColumnValue = (column: Column): BoardColumnValue => column as BoardColumnValue;
export const toPriorityValue = (priority: Priority): PriorityValue => priority as PriorityValue;

/** A mission of the read model as the graph shows it. */
export const toMission = (mission: MissionRecord): Mission => ({
  ...mission,
  column: toColumnValue(mission.column),
  priority: toPriorityValue(mission.priority),
});

/** Output only: an event's payload as a JSON object. */
export const JSONObjectScalar = new GraphQLScalarType<JsonObject, JsonObject>({
  name: 'JSONObject',
  description: 'A JSON object.',
  serialize: (value) => value as JsonObject,
  parseValue: () => {
    throw new GraphQLError('JSONObject is output only');
  },
  parseLiteral: () => {
    throw new GraphQLError('JSONObject is output only');
  },
});

@ObjectType({
  registerIn: () => MissionModule,
  description: 'A mission (task) on a workspace’s board.',
})
@Directive('@key(fields: "id")')
export class Mission {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  workspaceId!: string;

  @Field()
  title!: string;

  @Field({ description: 'Markdown.' })
  description!: string;

  @Field(() => PriorityValue)
  priority!: PriorityValue;

  @Field(() => [String])
  tags!: string[];

  @Field(() => BoardColumnValue)
  column!: BoardColumnValue;

  @Field({ description: 'Order within the column: sorts as a plain (byte-wise) string.' })
  rank!: string;

  @Field(() => ID, { nullable: true, description: 'The agent it is assigned to.' })
  assigneeAgentId!: string | null;

  @Field(() => ID, { nullable: true, description: 'The agent that claimed it.' })
  claimedBy!: string | null;

  @Field(() => Int, {
    description:
      'The fencing epoch of its current (or last) claim: one more with each claim, 0 before any.',
  })
  claimEpoch!: number;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description:
      'When the claim lapses unless renewed (renewLease, or any write to its run); null when unclaimed.',
  })
  leaseExpiresAt!: Date | null;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When the current claim was made; null when unclaimed.',
  })
  claimedAt!: Date | null;

  @Field(() => ID, { description: 'The user or agent that created it.' })
  createdBy!: string;

  @Field(() => Int, { description: 'How many events its stream holds.' })
  version!: number;

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;

  @Field(() => GraphQLISODateTime)
  updatedAt!: Date;
}

@ObjectType({ registerIn: () => MissionModule })
export class MissionComment {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  missionId!: string;

  @Field(() => ID, { description: 'The user or agent that wrote it.' })
  author!: string;

  @Field({ description: '`user` or `agent`.' })
  authorKind!: string;

  @Field({ description: 'Markdown.' })
  body!: string;

  @Field(() => [String], { description: 'The `@names` in the body, lower case, once each.' })
  mentions!: string[];

  @Field(() => GraphQLISODateTime)
  createdAt!: Date;
}

@ObjectType({ registerIn: () => MissionModule, description: 'One event of a mission’s history.' })
export class MissionTimelineEntry {
  @Field(() => Int, { description: 'Its position in the mission’s stream, from 1.' })
  version!: number;

  @Field({ description: 'The event type, e.g. `mission.v1.MissionMoved`.' })
  type!: string;

  @Field(() => GraphQLISODateTime)
  occurredAt!: Date;

  @Field({ description: '`user`, `agent` or `system`.' })
  actorKind!: string;

  @Field(() => ID)
  actorId!: string;

  @Field(() => JSONObjectScalar)
  data!: JsonObject;
}

@InputType({ registerIn: () => MissionModule })
export class CreateMissionInput {
  @Field()
  title!: string;

  @Field(() => String, { nullable: true, description: 'Markdown.' })
  description?: string | null;

  @Field(() => PriorityValue, { nullable: true, description: 'MEDIUM when left out.' })
  priority?: PriorityValue | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;

  @Field(() => BoardColumnValue, {
    nullable: true,
    description: 'BACKLOG when left out; the mission goes to the end of the column.',
  })
  column?: BoardColumnValue | null;
}

@InputType({ registerIn: () => MissionModule, description: 'Only the fields given change.' })
export class UpdateMissionInput {
  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Markdown.' })
  description?: string | null;

  @Field(() => PriorityValue, { nullable: true })
  priority?: PriorityValue | null;

  @Field(() => [String], { nullable: true })
  tags?: string[] | null;
}
