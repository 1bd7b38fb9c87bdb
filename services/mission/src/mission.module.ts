import { type DynamicModule, Module } from '@nestjs/common';
import { topicConsumerProvider, type TopicSubscription } from '@mission-control/eventing/nest';
import { nestFieldsLogger } from '@mission-control/platform';
import { AgentClaimsResolver, RunMissionResolver } from './agent-work/agent-work.resolver';
import { AgentWorkRepository } from './agent-work/agent-work.repository';
import { AgentWorkService } from './agent-work/agent-work.service';
import { AgentRosterEventsController } from './agents/agent-roster-events.controller';
import { AgentRosterProjection } from './agents/agent-roster.projection';
import { AgentRosterRepository } from './agents/agent-roster.repository';
import { BoardRepository } from './board/board.repository';
import { BoardResolver } from './board/board.resolver';
import { BoardService } from './board/board.service';
import { BudgetStops } from './budgets/budget-stops.service';
import { BudgetsRepository } from './budgets/budgets.repository';
import { BudgetsResolver } from './budgets/budgets.resolver';
import { BudgetsService } from './budgets/budgets.service';
import { DATABASE_SCHEMA, PrismaService } from './database/prisma.service';
import { IdempotencyService } from './idempotency/idempotency.service';
import { DispatchRepository } from './dispatch/dispatch.repository';
import { DispatchResolver } from './dispatch/dispatch.resolver';
import {
  DISPATCH_SETTINGS,
  DispatchService,
  type DispatchSettings,
} from './dispatch/dispatch.service';
import { MissionProjection } from './missions/mission.projection';
import { MissionsRepository } from './missions/missions.repository';
import { MissionsResolver } from './missions/missions.resolver';
import { MissionsService } from './missions/missions.service';
import {
  DEFAULT_LEASE_SETTINGS,
  LEASE_SETTINGS,
  type LeaseSettings,
} from './leases/lease-settings';
import { LeaseSweeper } from './leases/lease-sweeper';
import { LeasesResolver } from './leases/leases.resolver';
import { LeasesService } from './leases/leases.service';
import { DEFAULT_PRICE_CATALOG, type PriceCatalog } from './runs/pricing';
import { RunProjection } from './runs/run.projection';
import { RunsRepository } from './runs/runs.repository';
import { MissionRunsResolver, RunsResolver } from './runs/runs.resolver';
import { PRICE_CATALOG, RunsService } from './runs/runs.service';
import { WorkPolicyResolver } from './work-policy/work-policy.resolver';
import { WorkPolicyService } from './work-policy/work-policy.service';

/** The resolvers of the mission subgraph; the schema emitter builds the SDL from these alone. */
export const MISSION_RESOLVERS = [
  MissionsResolver,
  BoardResolver,
  RunsResolver,
  MissionRunsResolver,
  LeasesResolver,
  DispatchResolver,
  AgentClaimsResolver,
  RunMissionResolver,
  BudgetsResolver,
  WorkPolicyResolver,
];

export type MissionModuleOptions = {
  /** The agent service's topic, whose events keep the roster of agents current; false: none. */
  eventing: { agentRoster: TopicSubscription } | false;
  priceCatalog?: PriceCatalog;
  leases?: LeaseSettings;
  dispatch?: DispatchSettings;
};

/** Missions, the board, assignment, claims and comments, and the runs that execute missions. */
@Module({})
export class MissionModule {
  static forRoot({
    eventing,
    priceCatalog = DEFAULT_PRICE_CATALOG,
    leases = DEFAULT_LEASE_SETTINGS,
    dispatch = { agingSeconds: 24 * 3_600 },
  }: MissionModuleOptions): DynamicModule {
    return {
      module: MissionModule,
      controllers: eventing ? [AgentRosterEventsController] : [],
      providers: [
        ...(eventing
          ? [
              topicConsumerProvider('mission', eventing.agentRoster, {
                schema: DATABASE_SCHEMA,
                prisma: PrismaService,
                logger: nestFieldsLogger('AgentRosterConsumer'),
              }),
            ]
          : []),
        AgentRosterRepository,
        AgentRosterProjection,
        MissionsRepository,
        MissionProjection,
        MissionsService,
        BoardRepository,
        BoardService,
        RunsRepository,
        RunProjection,
        RunsService,
        IdempotencyService,
        BudgetsRepository,
        BudgetsService,
        BudgetStops,
        WorkPolicyService,
        { provide: PRICE_CATALOG, useValue: priceCatalog },
        { provide: LEASE_SETTINGS, useValue: leases },
        LeasesService,
        { provide: DISPATCH_SETTINGS, useValue: dispatch },
        DispatchRepository,
        DispatchService,
        AgentWorkRepository,
        AgentWorkService,
        // Only a service that runs its event handling ends claims; the schema emitter does not.
        ...(eventing ? [LeaseSweeper] : []),
        ...MISSION_RESOLVERS,
      ],
    };
  }
}
