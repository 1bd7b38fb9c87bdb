import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { MissionModule } from '../mission.module';

export enum LapsedClaimActionValue {
  REQUEUE = 'requeue',
  BLOCK = 'block',
}
registerEnumType(LapsedClaimActionValue, {
  registerIn: () => MissionModule,
  name: 'LapsedClaimAction',
  description:
    'What happens to work in progress whose claim lapsed (its lease ran out or its agent went ' +
    'offline). REQUEUE: back to To do, unassigned, offered again. BLOCK: to Blocked, unassigned, ' +
    'for a person to look at. Either way the run under it ends abandoned, saying why.',
});

@ObjectType({
  registerIn: () => MissionModule,
  description: 'How a workspace wants its work handled.',
})
export class WorkPolicy {
  @Field(() => LapsedClaimActionValue)
  lapsedClaims!: LapsedClaimActionValue;
}
