// The people and agents of the work-loop benchmark and what they send: GraphQL over HTTP to the
// gateway, each agent with a token of its own, as `docs/api.md` ("The work loop") shows.
import { randomUUID } from 'node:crypto';
import { now, progress, sleep } from '../support/harness';
import { graphql, GraphQLFailure } from '../support/graphql';

export const OPS = {
  floor: '{ __typename }',
  next: 'mutation ($ws: ID!) { nextMission(workspaceId: $ws) { id claimEpoch leaseExpiresAt } }',
  start: `mutation ($ws: ID!, $id: ID!) {
    startRun(workspaceId: $ws, missionId: $id, input: { adapter: "claude-code", model: "claude-sonnet-4-5", provider: "anthropic" }) { id }
  }`,
  renew:
    'mutation ($ws: ID!, $id: ID!) { renewLease(workspaceId: $ws, missionId: $id) { leaseExpiresAt } }',
  report: `mutation ($ws: ID!, $run: ID!) {
    reportRunUsage(workspaceId: $ws, runId: $run, input: { model: "claude-sonnet-4-5", inputTokens: 12000, cachedInputTokens: 8000, outputTokens: 1500 }) { id }
  }`,
  append: `mutation ($ws: ID!, $run: ID!, $lines: [RunLogLineInput!]!) {
    appendRunLog(workspaceId: $ws, runId: $run, lines: $lines) { firstPosition lastPosition }
  }`,
  finish: `mutation ($ws: ID!, $run: ID!) {
    finishRun(workspaceId: $ws, runId: $run, outcome: SUCCEEDED, summary: "done") { id }
  }`,
  heartbeat: 'mutation { heartbeat(status: IDLE) { id } }',
  release:
    'mutation ($ws: ID!, $id: ID!) { releaseMission(workspaceId: $ws, missionId: $id) { id } }',
  create: `mutation ($ws: ID!, $title: String!, $priority: MissionPriority) {
    createMission(workspaceId: $ws, input: { title: $title, priority: $priority, column: TODO }) { id }
  }`,
};

export { graphql, GraphQLFailure } from '../support/graphql';

/** Retryable answers ridden out by `patiently` in this mode, and the first of them. */
export const retried: { count: number; first?: string } = { count: 0 };

/** Retries what is retryable as it is (not a CONFLICT, which needs a re-read), up to `ms`. */
export async function patiently<T>(what: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = now() + ms;
  for (;;) {
    try {
      return await what();
    } catch (error) {
      const retry = error instanceof GraphQLFailure && error.retryable && error.code !== 'CONFLICT';
      if (!retry || now() > deadline) {
        throw error;
      }
      retried.count += 1;
      retried.first ??= error.message;
      await sleep(100);
    }
  }
}

/**
 * Gives a claim back, retrying as an agent would; a CONFLICT after a retry means the first
 * attempt did it (its answer was lost).
 */
export async function handBack(client: AgentClient, missionId: string): Promise<void> {
  let attempts = 0;
  await patiently(async () => {
    attempts += 1;
    try {
      await client.release(missionId);
    } catch (error) {
      if (!(attempts > 1 && error instanceof GraphQLFailure && error.code === 'CONFLICT')) {
        throw error;
      }
    }
  }, 180_000);
}

/** Runs `task` for each of `items`, `concurrency` at a time. */
export async function inParallel<T>(
  items: T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await task(items[index]!, index);
      }
    }),
  );
}

export type Agent = { id: string; token: string };
export type Squad = { workspaceId: string; adminToken: string; agents: Agent[] };

/** One person with a workspace and `count` active agents, each holding a token of its own. */
export async function makeSquad(url: string, count: number): Promise<Squad> {
  const { signUp } = await graphql<{ signUp: { accessToken: string } }>(
    url,
    `
      mutation ($email: String!) {
        signUp(email: $email, password: "correct horse battery staple", name: "Bench") {
          accessToken
        }
      }
    `,
    { email: `bench-${randomUUID().slice(0, 8)}@example.com` },
  );
  const { createWorkspace } = await graphql<{ createWorkspace: { id: string } }>(
    url,
    'mutation { createWorkspace(name: "Work loop") { id } }',
    {},
    signUp.accessToken,
  );
  const ws = createWorkspace.id;
  const { switchWorkspace } = await graphql<{ switchWorkspace: { accessToken: string } }>(
    url,
    'mutation ($id: String!) { switchWorkspace(workspaceId: $id) { accessToken } }',
    { id: ws },
    signUp.accessToken,
  );
  const admin = switchWorkspace.accessToken;
  const agents: Agent[] = new Array<Agent>(count);
  await inParallel(
    Array.from({ length: count }, (_, n) => n),
    16,
    async (n) => {
      const { registerAgent } = await graphql<{ registerAgent: { id: string } }>(
        url,
        `
          mutation ($ws: ID!, $name: String!) {
            registerAgent(
              workspaceId: $ws
              input: { name: $name, role: "worker", capabilities: ["code"] }
            ) {
              id
            }
          }
        `,
        { ws, name: `loop-agent-${n + 1}` },
        admin,
      );
      const id = registerAgent.id;
      await graphql(
        url,
        'mutation ($ws: ID!, $id: ID!) { activateAgent(workspaceId: $ws, id: $id) { id } }',
        { ws, id },
        admin,
      );
      const { issueAgentKey } = await graphql<{ issueAgentKey: { key: string } }>(
        url,
        'mutation ($ws: ID!, $id: ID!) { issueAgentKey(workspaceId: $ws, agentId: $id) { key } }',
        { ws, id },
        admin,
      );
      // Identity learns the key from the agent service's events, a moment later.
      const deadline = now() + 60_000;
      for (;;) {
        try {
          const { exchangeAgentKey } = await graphql<{
            exchangeAgentKey: { accessToken: string };
          }>(url, 'mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken } }', {
            key: issueAgentKey.key,
          });
          agents[n] = { id, token: exchangeAgentKey.accessToken };
          break;
        } catch (error) {
          if (now() > deadline) {
            throw error;
          }
          await sleep(100);
        }
      }
      if ((n + 1) % 200 === 0) {
        progress(`  agents: ${n + 1}/${count}`);
      }
    },
  );
  return { workspaceId: ws, adminToken: admin, agents };
}

/**
 * Every agent heartbeats every `everyMs`, spread evenly, as a running agent does: one silent for
 * AGENT_OFFLINE_AFTER_SECONDS goes offline and its claims end. Returns the function that stops it.
 */
export function keepAlive(url: string, agents: Agent[], everyMs = 30_000): () => void {
  let stopped = false;
  let next = 0;
  const beat = () => {
    if (stopped) {
      return;
    }
    const agent = agents[next++ % agents.length]!;
    graphql(url, OPS.heartbeat, {}, agent.token).catch(() => undefined);
    timer = setTimeout(beat, everyMs / agents.length);
  };
  let timer = setTimeout(beat, 0);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

/** `count` missions in To do, by the squad's admin, 16 at a time. */
export async function seedMissions(url: string, squad: Squad, count: number): Promise<string[]> {
  const ids: string[] = new Array<string>(count);
  await inParallel(
    Array.from({ length: count }, (_, n) => n),
    16,
    async (n) => {
      const { createMission } = await graphql<{ createMission: { id: string } }>(
        url,
        OPS.create,
        { ws: squad.workspaceId, title: `Loop mission ${n + 1}`, priority: PRIORITIES[n % 4] },
        squad.adminToken,
      );
      ids[n] = createMission.id;
      if ((n + 1) % 500 === 0) {
        progress(`  missions: ${n + 1}/${count}`);
      }
    },
  );
  return ids;
}

export type Claim = { id: string; claimEpoch: number };

/** What one agent sends, each call timed into `times` under the operation's name. */
export class AgentClient {
  constructor(
    private readonly url: string,
    private readonly workspaceId: string,
    readonly agent: Agent,
    private readonly times: Map<string, number[]>,
  ) {}

  private async timed<T>(name: string, query: string, variables: Record<string, unknown>) {
    const started = now();
    const data = await graphql<T>(
      this.url,
      query,
      { ws: this.workspaceId, ...variables },
      this.agent.token,
    );
    const list = this.times.get(name) ?? [];
    list.push(now() - started);
    this.times.set(name, list);
    return data;
  }

  async next(): Promise<Claim | null> {
    const { nextMission } = await this.timed<{ nextMission: Claim | null }>('claim', OPS.next, {});
    return nextMission;
  }

  async startRun(missionId: string): Promise<string> {
    const { startRun } = await this.timed<{ startRun: { id: string } }>('start', OPS.start, {
      id: missionId,
    });
    return startRun.id;
  }

  renew(missionId: string) {
    return this.timed('renew', OPS.renew, { id: missionId });
  }

  report(runId: string) {
    return this.timed('report', OPS.report, { run: runId });
  }

  async append(runId: string, lines: { text: string; stream?: string }[]) {
    const { appendRunLog } = await this.timed<{
      appendRunLog: { firstPosition: number; lastPosition: number };
    }>('append', OPS.append, { run: runId, lines });
    return appendRunLog;
  }

  finish(runId: string) {
    return this.timed('finish', OPS.finish, { run: runId });
  }

  release(missionId: string) {
    return this.timed('release', OPS.release, { id: missionId });
  }
}
