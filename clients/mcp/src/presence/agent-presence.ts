import { HeartbeatDocument } from '@mission-control/sdk';
import type { MissionControlGraph } from '../graph/mission-control-graph';
import type { CurrentWork } from '../work/current-work';

/**
 * The calling agent is alive: BUSY while it holds a mission, IDLE otherwise. An agent that stops
 * heartbeating is marked offline and loses its claims, and a model may think for minutes between
 * tool calls, so the server heartbeats for the agent it serves. Other callers have no presence.
 */
export async function heartbeat(graph: MissionControlGraph, work: CurrentWork): Promise<void> {
  if ((await work.caller()).kind !== 'agent') {
    return;
  }
  const busy = (await work.held()).length > 0;
  await graph.request(HeartbeatDocument, {
    status: busy ? 'BUSY' : 'IDLE',
    activity: busy ? 'Working through MCP' : 'Waiting for work through MCP',
  });
}

/**
 * Which agents are due a heartbeat, for a server that sees agents only when they call a tool (the
 * gateway's /mcp). Well under the API's six a minute per agent.
 */
export class PresenceThrottle {
  private readonly last = new Map<string, number>();

  constructor(
    private readonly minIntervalMs = 20_000,
    private readonly maxAgents = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True, and remembered, when `agentId` had no heartbeat from here for the interval. */
  due(agentId: string): boolean {
    const now = this.now();
    const last = this.last.get(agentId);
    if (last !== undefined && now - last < this.minIntervalMs) {
      return false;
    }
    this.last.delete(agentId);
    this.last.set(agentId, now);
    // Insertion order is age order: forget the agents seen longest ago.
    while (this.last.size > this.maxAgents) {
      const oldest = this.last.keys().next().value;
      if (oldest === undefined) {
        break;
      }
      this.last.delete(oldest);
    }
    return true;
  }
}
