import { type DynamicModule, Module } from '@nestjs/common';
import { AggregateRunner } from './eventing/mission-event-store';
import { MissionRelay, type MissionRelayOptions } from './eventing/mission-relay';
import { MissionProjection } from './missions/mission.projection';
import { MissionsRepository } from './missions/missions.repository';
import { MissionsResolver } from './missions/missions.resolver';
import { MissionsService } from './missions/missions.service';

/** The resolvers of the mission subgraph; the schema emitter builds the SDL from these alone. */
export const MISSION_RESOLVERS = [MissionsResolver];

/** Missions, the board, assignment, claims and comments. */
@Module({})
export class MissionModule {
  static forRoot(relay: MissionRelayOptions | false): DynamicModule {
    return {
      module: MissionModule,
      providers: [
        ...(relay ? [{ provide: MissionRelay, useFactory: () => new MissionRelay(relay) }] : []),
        AggregateRunner,
        MissionsRepository,
        MissionProjection,
        MissionsService,
        ...MISSION_RESOLVERS,
      ],
    };
  }
}
