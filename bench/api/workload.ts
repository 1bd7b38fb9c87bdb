// What a person and an agent ask of the instance: the requests, the people and data behind them,
// and the live frame a change sends to browsers.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';
import { io, type Socket } from 'socket.io-client';
import { now, progress, sleep } from '../support/harness';
import { graphql } from '../support/graphql';

export const QUERIES = {
  floor: '{ __typename }',
  // The web board's own documents (web/src/features/board/board.graphql).
  create: `mutation Create($workspaceId: ID!, $input: CreateMissionInput!) {
    createMission(workspaceId: $workspaceId, input: $input) {
      id title priority tags column rank assigneeAgentId updatedAt
    }
  }`,
  boardFull: `query Board($workspaceId: ID!) {
    board(workspaceId: $workspaceId) {
      workspaceId
      columns { column missions { id title priority tags column rank assigneeAgentId updatedAt } }
    }
  }`,
  boardPage: `query BoardPage($workspaceId: ID!) {
    board(workspaceId: $workspaceId, perColumn: 20) {
      workspaceId
      columns {
        column totalCount pageInfo { endCursor hasNextPage }
        missions { id title priority tags column rank assigneeAgentId updatedAt }
      }
    }
  }`,
  search: `query Search($workspaceId: ID!, $query: String!) {
    search(workspaceId: $workspaceId, query: $query) {
      total hits { missionId title column score }
    }
  }`,
  heartbeat: `mutation { heartbeat(status: IDLE) { id status } }`,
};

export { graphql } from '../support/graphql';

export type Actors = {
  /** A workspace holding the seeded board. */
  boardWorkspace: string;
  /** A workspace the create and live shapes write to, so the board keeps its size. */
  loadWorkspace: string;
  boardToken: string;
  loadToken: string;
  /** One per agent, each active in the board's workspace. */
  agentTokens: string[];
};

const PASSWORD = 'correct horse battery staple';

/** One person with two workspaces, and `agents` active agents with tokens in the board's workspace. */
export async function makeActors(url: string, agents: number): Promise<Actors> {
  const email = `bench-${randomUUID().slice(0, 8)}@example.com`;
  const { signUp } = await graphql<{ signUp: { accessToken: string } }>(
    url,
    `
      mutation ($email: String!, $password: String!) {
        signUp(email: $email, password: $password, name: "Bench") {
          accessToken
        }
      }
    `,
    { email, password: PASSWORD },
  );
  const workspace = async (name: string) => {
    const { createWorkspace } = await graphql<{ createWorkspace: { id: string } }>(
      url,
      `
        mutation ($name: String!) {
          createWorkspace(name: $name) {
            id
          }
        }
      `,
      { name },
      signUp.accessToken,
    );
    const { switchWorkspace } = await graphql<{ switchWorkspace: { accessToken: string } }>(
      url,
      `
        mutation ($id: String!) {
          switchWorkspace(workspaceId: $id) {
            accessToken
          }
        }
      `,
      { id: createWorkspace.id },
      signUp.accessToken,
    );
    return { id: createWorkspace.id, token: switchWorkspace.accessToken };
  };
  const board = await workspace('Bench board');
  const load = await workspace('Bench load');
  const agent = async (n: number) => {
    const { registerAgent } = await graphql<{ registerAgent: { id: string } }>(
      url,
      `
        mutation ($ws: ID!, $name: String!) {
          registerAgent(workspaceId: $ws, input: { name: $name, role: "worker" }) {
            id
          }
        }
      `,
      { ws: board.id, name: `bench-agent-${n}` },
      board.token,
    );
    await graphql(
      url,
      `
        mutation ($ws: ID!, $id: ID!) {
          activateAgent(workspaceId: $ws, id: $id) {
            id
          }
        }
      `,
      { ws: board.id, id: registerAgent.id },
      board.token,
    );
    const { issueAgentKey } = await graphql<{ issueAgentKey: { key: string } }>(
      url,
      `
        mutation ($ws: ID!, $id: ID!) {
          issueAgentKey(workspaceId: $ws, agentId: $id) {
            key
          }
        }
      `,
      { ws: board.id, id: registerAgent.id },
      board.token,
    );
    // The identity service learns of a new key from the agent service's events, a moment later.
    for (let attempt = 1; ; attempt++) {
      try {
        const { exchangeAgentKey } = await graphql<{ exchangeAgentKey: { accessToken: string } }>(
          url,
          `
            mutation ($key: String!) {
              exchangeAgentKey(key: $key) {
                accessToken
              }
            }
          `,
          { key: issueAgentKey.key },
        );
        return exchangeAgentKey.accessToken;
      } catch (error) {
        if (attempt === 50) {
          throw error;
        }
        await sleep(100);
      }
    }
  };
  const agentTokens: string[] = [];
  for (let n = 1; n <= agents; n++) {
    agentTokens.push(await agent(n));
  }
  return {
    boardWorkspace: board.id,
    loadWorkspace: load.id,
    boardToken: board.token,
    loadToken: load.token,
    agentTokens,
  };
}

const COLUMNS = ['BACKLOG', 'TODO', 'IN_PROGRESS', 'REVIEW', 'DONE', 'BLOCKED'];
const PRIORITIES = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];
const WORDS = ['refactor', 'billing', 'login', 'latency', 'docs', 'queue', 'cache', 'retry'];

/** A mission like people write them; one in ten is about a deploy (what the search shape looks for). */
export function missionInput(n: number) {
  const topic = n % 10 === 0 ? 'deploy' : WORDS[n % WORDS.length]!;
  return {
    title: `${topic} ${WORDS[(n * 7) % WORDS.length]} #${n}`,
    description: `Mission ${n}: look into the ${topic} path and write down what you find.`,
    priority: PRIORITIES[n % PRIORITIES.length],
    tags: [topic, `team-${n % 5}`],
    column: COLUMNS[n % COLUMNS.length],
  };
}

/** `count` missions on the board, 8 at a time, with a line every 250. */
export async function seedBoard(url: string, actors: Actors, count: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      await graphql(
        url,
        QUERIES.create,
        { workspaceId: actors.boardWorkspace, input: missionInput(n) },
        actors.boardToken,
      );
      if ((n + 1) % 250 === 0) {
        progress(`  seeded ${n + 1}/${count} missions`);
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
}

/** Waits until search finds every seeded deploy mission (search is fed by events, asynchronously). */
export async function waitSearchable(url: string, actors: Actors, count: number): Promise<void> {
  const expected = Math.ceil(count / 10);
  const deadline = now() + 120_000;
  let total = 0;
  while (now() < deadline) {
    const { search } = await graphql<{ search: { total: number } }>(
      url,
      QUERIES.search,
      { workspaceId: actors.boardWorkspace, query: 'deploy' },
      actors.boardToken,
    );
    total = search.total;
    if (total >= expected) {
      return;
    }
    await sleep(500);
  }
  throw new Error(`search found ${total} of ${expected} deploy missions after 120 s`);
}

export type Load = {
  query: string;
  /** The caller's bearer token; none for a target that takes the caller from `headers`. */
  token?: string;
  /** Sent with every request (e.g. the signed headers a subgraph takes from the gateway). */
  headers?: Record<string, string>;
  /** A caller per connection, in turn (e.g. an agent each); `token` when absent. */
  tokens?: string[];
  variables?: Record<string, unknown>;
  /** Different variables per request (e.g. a new mission's title). */
  vary?: (n: number) => Record<string, unknown>;
};

export type LoadResult = {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  /** Transport errors, timeouts, non-2xx answers and GraphQL errors. */
  errors: number;
  firstError?: string;
};

/** `connections` clients sending `load` back to back for `seconds` (autocannon), GraphQL errors counted. */
export async function runLoad(
  url: string,
  load: Load,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  let graphqlErrors = 0;
  let firstError: string | undefined;
  let n = 0;
  const body = (variables: Record<string, unknown> | undefined) =>
    JSON.stringify({ query: load.query, variables: variables ?? {} });
  const fixedBody = body(load.variables);
  let callers = 0;
  const callerOf = (context: { token?: string }, tokens: string[]) =>
    (context.token ??= tokens[callers++ % tokens.length]!);
  const result = await autocannon({
    url: `${url}/graphql`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: {
      'content-type': 'application/json',
      ...(load.token ? { authorization: `Bearer ${load.token}` } : {}),
      ...load.headers,
    },
    body: fixedBody,
    requests: [
      {
        setupRequest: (request, context) => {
          const headers = load.tokens
            ? { ...request.headers, authorization: `Bearer ${callerOf(context, load.tokens)}` }
            : request.headers;
          return load.vary
            ? { ...request, headers, body: body({ ...load.variables, ...load.vary(n++) }) }
            : { ...request, headers };
        },
        onResponse: (_status, responseBody) => {
          // Cheap: the board answers are large, and this process shares the machine's two cores.
          if (responseBody.startsWith('{"errors"') || responseBody.includes('"errors":[')) {
            graphqlErrors += 1;
            firstError ??= responseBody.slice(0, 300);
          }
        },
      },
    ],
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
    firstError,
  };
}

/** A browser's live connection to one workspace: each mission created there, and when its frame came. */
export type LiveWatch = { arrived: Map<string, number>; close(): void };

export async function watchLive(url: string, token: string): Promise<LiveWatch> {
  const socket: Socket = io(url, {
    transports: ['websocket'],
    auth: { token },
    reconnection: false,
  });
  const arrived = new Map<string, number>();
  socket.on('event', (event: { type: string; data?: { title?: string } | null }) => {
    if (event.type === 'mission.v1.MissionCreated' && event.data?.title) {
      arrived.set(event.data.title, now());
    }
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('ready', () => resolve());
    socket.once('connect_error', reject);
    setTimeout(() => reject(new Error('live socket not ready after 10 s')), 10_000);
  });
  return { arrived, close: () => socket.close() };
}

/**
 * Creates a mission every `everyMs` for `seconds` and measures, for each, the time from sending
 * the request to its live frame at the browser's socket (a frame that never comes counts as lost).
 */
export async function liveLatencies(
  url: string,
  actors: Actors,
  watch: LiveWatch,
  seconds: number,
  everyMs: number,
): Promise<{ latencies: number[]; answered: number[]; lost: number }> {
  const sent = new Map<string, number>();
  // When the create itself was answered: tells a slow write from a slow push.
  const answered: number[] = [];
  const end = now() + seconds * 1000;
  const writes: Promise<unknown>[] = [];
  while (now() < end) {
    const title = `live ${randomUUID()}`;
    const at = now();
    sent.set(title, at);
    writes.push(
      graphql(
        url,
        QUERIES.create,
        { workspaceId: actors.loadWorkspace, input: { title, column: 'TODO' } },
        actors.loadToken,
      ).then(() => answered.push(now() - at)),
    );
    await sleep(everyMs);
  }
  await Promise.all(writes);
  // Anything still on its way gets 5 s more.
  const deadline = now() + 5_000;
  while ([...sent.keys()].some((title) => !watch.arrived.has(title)) && now() < deadline) {
    await sleep(20);
  }
  const latencies: number[] = [];
  let lost = 0;
  for (const [title, at] of sent) {
    const came = watch.arrived.get(title);
    if (came === undefined) {
      lost += 1;
    } else {
      latencies.push(came - at);
    }
  }
  return { latencies, answered, lost };
}
