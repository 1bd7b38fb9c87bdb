/** An agent's status as the agent service names it. */
export const AGENT_STATUSES = ['inactive', 'idle', 'busy', 'offline', 'error'] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];

export const isAgentStatus = (value: string): value is AgentStatus =>
  (AGENT_STATUSES as readonly string[]).includes(value);

export type StatusChange = { time: Date; status: AgentStatus };

export type StatusSeconds = { busySeconds: number; idleSeconds: number; offlineSeconds: number };

export type Utilisation = StatusSeconds & { utilisation: number };

type Bucket = keyof StatusSeconds | null;

// Error counts as offline: the agent cannot take work. Inactive is out of service: no bucket.
function bucketOf(status: AgentStatus | null): Bucket {
  switch (status) {
    case 'busy':
      return 'busySeconds';
    case 'idle':
      return 'idleSeconds';
    case 'offline':
    case 'error':
      return 'offlineSeconds';
    case 'inactive':
    case null:
      return null;
    default: {
      const unexpected: never = status;
      throw new Error(`Unknown agent status ${String(unexpected)}`);
    }
  }
}

/**
 * Seconds spent in each status over [from, to): `before` is the status in force at `from` (null
 * when the agent did not exist yet), `changes` the changes inside the range in any order.
 */
export function integrateTimeline(
  before: AgentStatus | null,
  changes: readonly StatusChange[],
  from: Date,
  to: Date,
): StatusSeconds {
  const totals: StatusSeconds = { busySeconds: 0, idleSeconds: 0, offlineSeconds: 0 };
  const start = from.getTime();
  const end = to.getTime();
  if (end <= start) {
    return totals;
  }
  const inRange = changes
    .filter((change) => change.time.getTime() >= start && change.time.getTime() < end)
    .sort((a, b) => a.time.getTime() - b.time.getTime());
  let status = before;
  let since = start;
  for (const change of [...inRange, { time: to, status: null }]) {
    const bucket = bucketOf(status);
    if (bucket !== null) {
      totals[bucket] += (change.time.getTime() - since) / 1_000;
    }
    status = change.status;
    since = change.time.getTime();
  }
  return totals;
}

/** Utilisation = busy / (busy + idle): the share of available time spent working. */
export function utilisationOf(seconds: StatusSeconds): Utilisation {
  const available = seconds.busySeconds + seconds.idleSeconds;
  return { ...seconds, utilisation: available > 0 ? seconds.busySeconds / available : 0 };
}

/** Per agent: the status in force when a range starts, and the changes inside it. */
export type AgentTimeline = {
  agentId: string;
  before: AgentStatus | null;
  changes: StatusChange[];
};

/** A status as a store read it: unknown names are skipped, as integrating could not use them. */
export type StoredStatus = { agentId: string; time: Date; status: string };

/**
 * Timelines from each agent's last status before the range and its changes inside it (in the
 * order they were stored): agents with a status before the range first, then the others, each
 * in the order first seen.
 */
export function timelinesOf(
  before: readonly Omit<StoredStatus, 'time'>[],
  inside: readonly StoredStatus[],
): AgentTimeline[] {
  const timelines = new Map<string, AgentTimeline>();
  const timelineOf = (agentId: string): AgentTimeline => {
    let timeline = timelines.get(agentId);
    if (!timeline) {
      timeline = { agentId, before: null, changes: [] };
      timelines.set(agentId, timeline);
    }
    return timeline;
  };
  for (const row of before) {
    timelineOf(row.agentId).before = isAgentStatus(row.status) ? row.status : null;
  }
  for (const row of inside) {
    if (isAgentStatus(row.status)) {
      timelineOf(row.agentId).changes.push({ time: row.time, status: row.status });
    }
  }
  return [...timelines.values()];
}
