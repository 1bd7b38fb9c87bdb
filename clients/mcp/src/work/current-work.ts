import { MissionControlError } from '@mission-control/sdk';
import { type McpClaimedMissionsQuery, McpClaimedMissionsDocument } from '../graphql/generated';
import type { McpCaller, MissionControlGraph } from '../graph/mission-control-graph';

export type HeldMission = McpClaimedMissionsQuery['claimedMissions'][number];

const missing = (field: string, message: string) =>
  new MissionControlError({
    code: 'VALIDATION_ERROR',
    message: `${field}: ${message}`,
    details: { fields: [{ path: field, message }] },
  });

/**
 * The caller's workspace and current mission and run, read from the graph on each call rather
 * than remembered: the HTTP server keeps no session, and what the agent holds can change under
 * it (a lapsed lease, a person's stop), so both transports answer from the same truth.
 */
export class CurrentWork {
  private callerOnce: Promise<McpCaller> | undefined;

  constructor(private readonly graph: MissionControlGraph) {}

  caller(): Promise<McpCaller> {
    this.callerOnce ??= this.graph.caller();
    return this.callerOnce;
  }

  async workspaceId(): Promise<string> {
    const { workspaceId } = await this.caller();
    if (workspaceId === null) {
      throw new MissionControlError({
        code: 'FORBIDDEN',
        message: 'The token acts in no workspace: switch to a workspace (switchWorkspace) first.',
      });
    }
    return workspaceId;
  }

  /** The missions the calling agent holds a claim on, the most recently claimed first. */
  async held(): Promise<HeldMission[]> {
    const caller = await this.caller();
    if (caller.kind !== 'agent') {
      return [];
    }
    const { claimedMissions } = await this.graph.request(McpClaimedMissionsDocument, {
      workspaceId: await this.workspaceId(),
      agentId: caller.id,
    });
    return [...claimedMissions].sort((a, b) =>
      (b.claimedAt ?? '').localeCompare(a.claimedAt ?? ''),
    );
  }

  /** The mission the agent works on now: the one it claimed last, or null. */
  async mission(): Promise<HeldMission | null> {
    return (await this.held())[0] ?? null;
  }

  async missionId(given: string | undefined): Promise<string> {
    if (given !== undefined) {
      return given;
    }
    const current = await this.mission();
    if (!current) {
      throw missing(
        'missionId',
        'you hold no mission: pass missionId, or take one with next_mission',
      );
    }
    return current.id;
  }

  async runId(given: string | undefined): Promise<string> {
    if (given !== undefined) {
      return given;
    }
    const current = await this.mission();
    const run = current?.activeRun;
    if (!run) {
      throw missing(
        'runId',
        current
          ? `mission ${current.id} has no run going on: pass runId`
          : 'you hold no mission with a run going on: pass runId, or take work with next_mission',
      );
    }
    return run.id;
  }
}
