import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import { reportStatus, type ReportedStatus } from '../agents/agent.commands';
import { agentDecider, agentStreamId } from '../agents/agent.decider';
import { AgentProjection } from '../agents/agent.projection';
import { AgentsRepository, type AgentRecord } from '../agents/agents.repository';
import { AggregateRunner } from '../eventing/agent-event-store';
import { HeartbeatLimiterRepository } from './heartbeat-limiter.repository';
import { PRESENCE_SETTINGS, type PresenceSettings } from './presence.settings';

/**
 * Heartbeats: an agent says it is alive and what it is doing. That is read-model state only; the
 * agent aggregate hears of it (and an event is written) only when the reported status differs.
 */
@Injectable()
export class HeartbeatsService {
  constructor(
    private readonly runner: AggregateRunner,
    private readonly agents: AgentsRepository,
    private readonly projection: AgentProjection,
    private readonly limiter: HeartbeatLimiterRepository,
    @Inject(PRESENCE_SETTINGS) private readonly settings: PresenceSettings,
  ) {}

  async heartbeat(
    principal: Principal,
    input: { status: ReportedStatus; activity?: string | null },
  ): Promise<AgentRecord> {
    // Agents heartbeat as themselves: the id comes from the verified principal, never the request.
    if (principal.kind !== 'agent' || principal.workspaceId === null) {
      throw AppError.forbidden('Only an agent can send heartbeats');
    }
    const workspaceId = principal.workspaceId;
    const command = reportStatus({
      workspaceId,
      actor: { kind: 'agent', id: principal.subject },
      data: {
        agentId: principal.subject,
        status: input.status,
        activity: input.activity ?? '',
      },
    });
    const agentId = command.data.agentId;
    const { count, retryAfterSeconds } = await this.limiter.consume(agentId);
    if (count > this.settings.heartbeatsPerMinute) {
      throw AppError.limitExceeded('Too many heartbeats; slow down', {
        retryAfterSeconds,
        limitPerMinute: this.settings.heartbeatsPerMinute,
      });
    }
    // Most heartbeats repeat the status the agent has: one statement, no transaction, no event.
    const steady = await this.agents.recordSteadyHeartbeat(
      workspaceId,
      agentId,
      command.data.status,
      command.data.activity,
    );
    if (steady) {
      return steady;
    }
    await this.runner.transaction(async (tx) => {
      const status = await this.agents.lockStatus(tx, workspaceId, agentId);
      if (status === null) {
        throw AppError.notFound('Agent');
      }
      if (status !== command.data.status) {
        const decided = await this.runner.execute(
          tx,
          agentDecider,
          agentStreamId(agentId),
          command,
        );
        await this.projection.apply(tx, decided.events, decided.stored);
      }
      await this.agents.recordHeartbeat(tx, agentId, command.data.activity);
    });
    const agent = await this.agents.find(workspaceId, agentId);
    if (!agent) {
      throw AppError.notFound('Agent');
    }
    return agent;
  }
}
