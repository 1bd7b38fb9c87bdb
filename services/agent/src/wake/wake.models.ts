import { Field, GraphQLISODateTime, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AgentModule } from '../agent.module';
import { Agent } from '../graphql/agent.models';
import type { DeliveryRecord, DeliveryStatus } from './wake-deliveries.repository';
import { webhookIdOf } from './wake-delivery.worker';
import type { WakeHookView } from './wake-hooks.service';

export enum WakeDeliveryStatusValue {
  PENDING = 'pending',
  RETRYING = 'retrying',
  DELIVERED = 'delivered',
  FAILED = 'failed',
}
export enum WakeReasonValue {
  ASSIGNED = 'assigned',
  AVAILABLE = 'available',
}
registerEnumType(WakeDeliveryStatusValue, {
  registerIn: () => AgentModule,
  name: 'WakeDeliveryStatus',
  description:
    'PENDING: being sent; RETRYING: the last attempt failed and another is scheduled; DELIVERED: the URL answered 2xx; FAILED: given up.',
});
registerEnumType(WakeReasonValue, {
  registerIn: () => AgentModule,
  name: 'WakeReason',
  description: 'ASSIGNED: a mission was assigned to the agent; AVAILABLE: a mission went to To do.',
});

@ObjectType({
  registerIn: () => AgentModule,
  description: 'The latest POST of a wake to an agent’s wake URL.',
})
export class WakeDelivery {
  @Field(() => ID, { description: 'The `webhook-id` header: the same on every retry.' })
  webhookId!: string;

  @Field(() => WakeReasonValue)
  reason!: WakeReasonValue;

  @Field(() => ID)
  missionId!: string;

  @Field(() => WakeDeliveryStatusValue)
  status!: WakeDeliveryStatusValue;

  @Field(() => Int, { description: 'Attempts made so far.' })
  attempts!: number;

  @Field(() => GraphQLISODateTime, { description: 'When it was last tried (or queued).' })
  at!: Date;

  @Field(() => GraphQLISODateTime, {
    nullable: true,
    description: 'When it is tried again; null unless RETRYING.',
  })
  nextAttemptAt!: Date | null;

  @Field(() => Int, { nullable: true, description: 'The HTTP status the URL last answered.' })
  statusCode!: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last attempt failed.' })
  error!: string | null;
}

@ObjectType({
  registerIn: () => AgentModule,
  description:
    'Where an agent is woken over HTTP: a signed POST (Standard Webhooks) when there is work for it.',
})
export class AgentWakeHook {
  @Field(() => String, {
    nullable: true,
    description: 'The URL; null for those without manage_agents (it may carry a token).',
  })
  url!: string | null;

  @Field(() => GraphQLISODateTime, { description: 'When it was set (or its secret rotated).' })
  createdAt!: Date;

  @Field(() => WakeDelivery, { nullable: true })
  lastDelivery!: WakeDelivery | null;
}

@ObjectType({
  registerIn: () => AgentModule,
  description: 'A wake URL just set, with its signing secret: shown here once and never again.',
})
export class AgentWakeHookWithSecret {
  @Field({
    description:
      'Standard Webhooks secret (`whsec_…`): verify each POST’s `webhook-signature` with it.',
  })
  secret!: string;

  @Field(() => AgentWakeHook)
  wakeHook!: AgentWakeHook;

  @Field(() => Agent)
  agent!: Agent;
}

const PUBLIC_STATUS: Readonly<Record<DeliveryStatus, WakeDeliveryStatusValue>> = {
  queued: WakeDeliveryStatusValue.PENDING,
  sending: WakeDeliveryStatusValue.PENDING,
  retrying: WakeDeliveryStatusValue.RETRYING,
  delivered: WakeDeliveryStatusValue.DELIVERED,
  failed: WakeDeliveryStatusValue.FAILED,
  superseded: WakeDeliveryStatusValue.DELIVERED,
  cancelled: WakeDeliveryStatusValue.FAILED,
};

export const wakeDeliveryOf = (record: DeliveryRecord): WakeDelivery => ({
  webhookId: webhookIdOf(record.id),
  reason: record.reason as WakeReasonValue,
  missionId: record.missionId,
  status: PUBLIC_STATUS[record.status],
  attempts: record.attempts,
  at: record.lastAttemptAt ?? record.createdAt,
  nextAttemptAt: record.status === 'retrying' ? record.nextAttemptAt : null,
  statusCode: record.lastStatusCode,
  error: record.lastError,
});

export const wakeHookOf = (view: WakeHookView): AgentWakeHook => ({
  url: view.url,
  createdAt: view.createdAt,
  lastDelivery: view.lastDelivery ? wakeDeliveryOf(view.lastDelivery) : null,
});
