import type { AgentProfileFragment, RunningRunsQuery } from '../../graphql/generated';
import { entityIdOf, type LiveEvent } from '../../lib/live/live-event';
import { applyAgentEvent } from './agent-model';

export type RunningRun = RunningRunsQuery['runs']['nodes'][number];

/**
 * The workspace's running runs after a live event. A run that starts is fetched (`refetch`) for
 * its mission's title; one that ends leaves at once.
 */
export function applyRunningEvent(
  runs: readonly RunningRun[],
  event: LiveEvent,
): RunningRun[] | 'refetch' | 'unchanged' {
  const runId = entityIdOf(event, 'run');
  switch (event.type) {
    case 'mission.v1.RunStarted':
      return runs.some((run) => run.id === runId) ? 'unchanged' : 'refetch';
    case 'mission.v1.RunFinished':
      return runs.some((run) => run.id === runId)
        ? runs.filter((run) => run.id !== runId)
        : 'unchanged';
    case 'mission.v1.MissionUpdated': {
      // A title shown next to an agent may have changed.
      const missionId = entityIdOf(event, 'mission');
      return runs.some((run) => run.mission.id === missionId) ? 'refetch' : 'unchanged';
    }
    default:
      return 'unchanged';
  }
}

/** Each agent's running runs, oldest first. */
export function runningByAgent(runs: readonly RunningRun[]): Map<string, RunningRun[]> {
  const byAgent = new Map<string, RunningRun[]>();
  for (const run of [...runs].sort((a, b) => a.startedAt.localeCompare(b.startedAt))) {
    byAgent.set(run.agentId, [...(byAgent.get(run.agentId) ?? []), run]);
  }
  return byAgent;
}

/** What an agent's page shows, by id: the missions it holds and the runs it lists. */
export type AgentPageHolds = { missionIds: ReadonlySet<string>; runIds: ReadonlySet<string> };

/** What a live event changes on an agent's page; each part is fetched again or patched. */
export type AgentPageEffect = {
  /** The agent as it now is, `refetch`, or null when the event leaves it as it was. */
  profile: AgentProfileFragment | 'refetch' | null;
  claims: boolean;
  runs: boolean;
  /** When the agent was last heard from, when the event is its own doing. */
  seenAt: string | null;
};

const NOTHING: AgentPageEffect = { profile: null, claims: false, runs: false, seenAt: null };

export function agentPageEffect(
  agent: AgentProfileFragment,
  holds: AgentPageHolds,
  event: LiveEvent,
): AgentPageEffect {
  const seenAt = event.actor === `agent:${agent.id}` ? event.time : null;
  const effect = { ...NOTHING, seenAt };
  if (event.type.startsWith('agent.v1.')) {
    // A sub-agent spawned or ended changes the agent's list of them.
    if (
      (event.type === 'agent.v1.SubAgentSpawned' || event.type === 'agent.v1.SubAgentEnded') &&
      event.data?.parentAgentId === agent.id
    ) {
      return { ...effect, profile: 'refetch' };
    }
    if (entityIdOf(event, 'agent') !== agent.id) {
      return effect;
    }
    const next = applyAgentEvent([agent], event);
    return {
      ...effect,
      profile: next === 'refetch' ? 'refetch' : next === 'unchanged' ? null : next[0]!,
    };
  }
  const missionId = entityIdOf(event, 'mission');
  const runId = entityIdOf(event, 'run');
  const mine = event.data?.agentId === agent.id;
  switch (event.type) {
    case 'mission.v1.RunStarted':
      return mine ? { ...effect, claims: true, runs: true } : effect;
    case 'mission.v1.RunFinished':
    case 'mission.v1.RunUsageReported':
      // Usage may come after the end: the row's figures change, the claims do not.
      return holds.runIds.has(runId)
        ? { ...effect, claims: event.type === 'mission.v1.RunFinished', runs: true }
        : effect;
    case 'mission.v1.MissionClaimed':
      return mine ? { ...effect, claims: true } : effect;
    case 'mission.v1.MissionReleased':
    case 'mission.v1.MissionAssigned':
      // Both end a claim: the agent's own, or one it held on the mission.
      return mine || holds.missionIds.has(missionId) ? { ...effect, claims: true } : effect;
    case 'mission.v1.MissionUpdated':
    case 'mission.v1.MissionMoved':
      return holds.missionIds.has(missionId) ? { ...effect, claims: true } : effect;
    default:
      return effect;
  }
}

/** The later of its last heartbeat and the last thing it was seen doing here. */
export function lastSeenAt(heartbeatAt: string | null, seenAt: string | null): string | null {
  if (heartbeatAt === null || seenAt === null) {
    return heartbeatAt ?? seenAt;
  }
  return Date.parse(seenAt) > Date.parse(heartbeatAt) ? seenAt : heartbeatAt;
}

/** "just now", "42 s ago", "5 min ago", "3 h ago", "4 days ago". */
export function formatAgo(at: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - Date.parse(at)) / 1000));
  if (seconds < 5) {
    return 'just now';
  }
  if (seconds < 60) {
    return `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return `${hours} h ago`;
  }
  return `${Math.floor(hours / 24)} days ago`;
}

/** A lease's time left, "4:59" or "1 h 02 min"; `lapsed` once it ran out. */
export function leaseLeft(
  expiresAt: string,
  now: number,
): { text: string; lapsed: boolean; seconds: number } {
  const seconds = Math.ceil((Date.parse(expiresAt) - now) / 1000);
  if (seconds <= 0) {
    return { text: '0:00', lapsed: true, seconds: 0 };
  }
  const minutes = Math.floor(seconds / 60);
  const text =
    minutes >= 60
      ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`
      : `${minutes}:${String(seconds % 60).padStart(2, '0')}`;
  return { text, lapsed: false, seconds };
}
