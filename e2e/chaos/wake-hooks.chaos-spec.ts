import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import {
  type Stack,
  startStack,
  until,
  WakeReceiver,
  workspaceRoot,
} from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld, type Member } from '../support/identity-world';
import { SquadWorld, type Agent } from '../support/squad-world';

/** Quick retries and a short time-out, so a restart happens while wakes are being retried. */
const WAKE = {
  AGENT_WAKE_TIMEOUT_MS: '2000',
  AGENT_WAKE_RETRY_BASE_MS: '1000',
  AGENT_WAKE_RETRY_MAX_MS: '2000',
  AGENT_WAKE_MAX_ATTEMPTS: '20',
  AGENT_WAKE_POLL_INTERVAL_MS: '200',
  AGENT_WAKE_MIN_INTERVAL_MS: '0',
};

const SET_HOOK = `mutation ($ws: ID!, $id: ID!, $url: String!) {
  setAgentWakeHook(workspaceId: $ws, agentId: $id, url: $url) { secret }
}`;
const ASSIGN = `mutation ($ws: ID!, $id: ID!, $agent: ID) {
  assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id }
}`;

describe('agent wakes when the agent service is SIGKILLed while they are pending or retrying', () => {
  let stack: Stack;
  let graph: GraphClient;
  let squad: SquadWorld;
  let admin: Member;
  const receiver = new WakeReceiver();
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  let restarted: ChildProcess | undefined;

  beforeAll(async () => {
    await receiver.start();
    stack = await startStack({ env: WAKE });
    graph = new GraphClient(stack.gatewayUrl);
    squad = new SquadWorld(graph);
    admin = await new IdentityWorld(graph).workspace('chaos-wakes');
  });
  afterAll(async () => {
    restarted?.kill('SIGTERM');
    await stack?.stop();
    await receiver.close();
    await pool.end();
  });

  /** The agent service as the stack started it (same port, topics and settings), again. */
  async function restartAgentService(): Promise<ChildProcess> {
    const port = new URL(stack.serviceUrls.agent!).port;
    const topics = Object.fromEntries(
      Object.entries(stack.topics).map(([name, topic]) => [
        `${name.toUpperCase()}_EVENTS_TOPIC`,
        topic,
      ]),
    );
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: path.join(workspaceRoot, 'services/agent'),
      env: {
        ...process.env,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        ...WAKE,
        ...topics,
        AGENT_PORT: port,
        AGENT_SCHEMA_FILE: path.join(
          mkdtempSync(path.join(tmpdir(), 'e2e-sdl-')),
          'schema.graphql',
        ),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await until(
      () =>
        fetch(`${stack.serviceUrls.agent}/ready`).then(
          (response) => response.status === 200,
          () => false,
        ),
      'the restarted agent service to be ready',
      60_000,
      250,
    );
    return child;
  }

  /** An active agent with a wake URL at the receiver. */
  async function wokenAgent(name: string): Promise<Agent> {
    const agent = await squad.activeAgent(admin, name);
    const { setAgentWakeHook } = await graph.ok<{ setAgentWakeHook: { secret: string } }>(
      SET_HOOK,
      { ws: admin.workspaceId, id: agent.id, url: receiver.urlOf(agent.id) },
      admin.workspaceToken,
    );
    receiver.trust(agent.id, setAgentWakeHook.secret);
    return agent;
  }

  /** A mission in the backlog assigned to `agent` (retried while the mission service learns of it). */
  async function assignedMission(agent: Agent, title: string): Promise<string> {
    const { createMission } = await graph.ok<{ createMission: { id: string } }>(
      'mutation ($ws: ID!, $title: String!) { createMission(workspaceId: $ws, input: { title: $title }) { id } }',
      { ws: admin.workspaceId, title },
      admin.workspaceToken,
    );
    const variables = { ws: admin.workspaceId, id: createMission.id, agent: agent.id };
    await until(
      async () => !(await graph.request(ASSIGN, variables, admin.workspaceToken)).errors,
      `${title} assigned`,
    );
    return createMission.id;
  }

  it('delivers every wake after a restart, each under one webhook id, none lost', async () => {
    // Every wake's first attempt hangs (the service dies holding it) or fails, then two more fail.
    receiver.answerAttempts('hang', 503, 503);
    const before = await Promise.all(
      ['one', 'two', 'three', 'four'].map((name) => wokenAgent(`before-${name}`)),
    );
    const during = await Promise.all(
      ['one', 'two', 'three', 'four'].map((name) => wokenAgent(`during-${name}`)),
    );
    const wakes = new Map<string, string>(); // missionId -> agentId
    for (const agent of before) {
      wakes.set(await assignedMission(agent, `Before ${agent.name}`), agent.id);
    }
    // Each is in flight (its POST hanging) or being retried when the service dies.
    await until(
      () => before.every((agent) => receiver.of(agent.id).length > 0),
      'a first attempt of every wake',
    );
    receiver.answerAttempts(503, 503);
    process.kill(stack.pids.agent!, 'SIGKILL');

    // Wakes caused while it is down wait in Kafka.
    for (const agent of during) {
      wakes.set(await assignedMission(agent, `During ${agent.name}`), agent.id);
    }
    const { rows: pendingAtKill } = await pool.query<{ status: string }>(
      `SELECT d.status FROM agent.wake_deliveries d WHERE d.workspace_id = $1`,
      [admin.workspaceId],
    );
    expect(pendingAtKill.length).toBe(before.length);
    expect(
      pendingAtKill.every((row) => ['queued', 'sending', 'retrying'].includes(row.status)),
    ).toBe(true);
    restarted = await restartAgentService();

    const agents = [...before, ...during];
    await until(
      () => agents.every((agent) => receiver.delivered(agent.id).length > 0),
      'every agent woken',
      90_000,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // room for a second delivery

    for (const [missionId, agentId] of wakes) {
      const posts = receiver.received.filter((post) => post.body?.data.missionId === missionId);
      // At least once, always under the one id of this wake, each signature verifying.
      expect(posts.every((post) => post.verified && post.agentId === agentId)).toBe(true);
      expect(new Set(posts.map((post) => post.webhookId)).size).toBe(1);
      expect(posts.filter((post) => post.answered === 200)).toHaveLength(1);
      expect(posts.every((post) => post.body?.data.reason === 'assigned')).toBe(true);
    }
    const { rows } = await pool.query<{ status: string; attempts: number }>(
      `SELECT status, attempts FROM agent.wake_deliveries WHERE workspace_id = $1`,
      [admin.workspaceId],
    );
    expect(rows.map((row) => row.status)).toEqual(agents.map(() => 'delivered'));
    // The ones caught by the kill needed the attempts they got before it and three after.
    expect(rows.every((row) => row.attempts >= 3)).toBe(true);
  });
});
