import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Pool } from 'pg';
import { freePort, type Stack, startStack, until, workspaceRoot } from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';

const SPAWN = `mutation { spawnSubAgent(input: { name: "chaos child", ttlSeconds: 2 }) { key agent { id } } }`;
const HEARTBEAT = `mutation { heartbeat(status: BUSY) { id } }`;
const EXCHANGE = `mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken } }`;
const STATUS = `query ($ws: ID!, $id: ID!) { agent(workspaceId: $ws, id: $id) { status } }`;

describe('a sub-agent whose time ran out while the agent service was down', () => {
  let stack: Stack;
  let graph: GraphClient;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 2 });
  const restarted: ChildProcess[] = [];

  beforeAll(async () => {
    // The first instance never sweeps sub-agents: the child's end is left to the restart.
    stack = await startStack({ env: { AGENT_SUB_AGENT_SWEEP_INTERVAL_MS: '3600000' } });
    graph = new GraphClient(stack.gatewayUrl);
  });
  afterAll(async () => {
    for (const child of restarted) {
      child.kill('SIGTERM');
    }
    await stack?.stop();
    await pool.end();
  });

  /** The agent service as the stack started it (same topics), sweeping sub-agents often. */
  async function startAgentService(port: string): Promise<ChildProcess> {
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
        ...topics,
        AGENT_PORT: port,
        AGENT_SUB_AGENT_SWEEP_INTERVAL_MS: '200',
        AGENT_SCHEMA_FILE: path.join(
          mkdtempSync(path.join(tmpdir(), 'e2e-sdl-')),
          'schema.graphql',
        ),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    restarted.push(child);
    await until(
      () =>
        fetch(`http://127.0.0.1:${port}/ready`).then(
          (response) => response.status === 200,
          () => false,
        ),
      `the agent service on ${port} to be ready`,
      60_000,
      250,
    );
    return child;
  }

  const revocations = async (agentId: string) =>
    (
      await pool.query<{ count: string }>(
        `SELECT count(*)::text AS count FROM agent.events WHERE stream_id = $1 AND type = $2`,
        [`agent-${agentId}`, 'agent.v1.AgentKeyRevoked'],
      )
    ).rows[0]!.count;

  it('is ended once after a SIGKILL, by two replicas sweeping at once, and refused meanwhile', async () => {
    const admin = await new IdentityWorld(graph).workspace('chaos-sub-agents');
    const lead = await new SquadWorld(graph).activeAgent(admin, 'lead');
    const { spawnSubAgent } = await graph.ok<{
      spawnSubAgent: { key: string; agent: { id: string } };
    }>(SPAWN, {}, lead.token);
    const childId = spawnSubAgent.agent.id;
    const token = await new SquadWorld(graph).agentToken(spawnSubAgent.key);
    expect((await graph.request(HEARTBEAT, {}, token)).errors).toBeUndefined();

    await new Promise((resolve) => setTimeout(resolve, 2_200));
    process.kill(stack.pids.agent!, 'SIGKILL');
    expect(await revocations(childId)).toBe('0');
    // Identity refuses the expired key on its own, with the agent service down.
    const refused = await graph.request(EXCHANGE, { key: spawnSubAgent.key });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');

    await Promise.all([
      startAgentService(new URL(stack.serviceUrls.agent!).port),
      startAgentService(String(await freePort())),
    ]);
    await until(
      async () => (await revocations(childId)) !== '0',
      'the child’s key revoked after the restart',
      30_000,
      100,
    );
    // Both replicas keep sweeping: still one revocation, and the child is inactive.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await revocations(childId)).toBe('1');
    const { agent } = await graph.ok<{ agent: { status: string } }>(
      STATUS,
      { ws: admin.workspaceId, id: childId },
      admin.workspaceToken,
    );
    expect(agent.status).toBe('INACTIVE');
    // The gateway learns of the revocation from the restarted relay: the child's token is refused.
    await until(
      async () =>
        (await graph.request(HEARTBEAT, {}, token)).errors?.[0]?.extensions?.code ===
        'UNAUTHENTICATED',
      'the child’s token refused',
      30_000,
      100,
    );
  });
});
