import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  activeAgent,
  type Admin,
  adminOfNewWorkspace,
  graph,
  issueKey,
  missionInTodo,
  type Stack,
  startStack,
  until,
} from '@mission-control/testing';

// The stdio server as an MCP client launches it: the built bin, configured by its environment.
const BIN = path.resolve(__dirname, '..', 'bin', 'mission-control-mcp.js');

type TransportKind = 'stdio' | 'http';
type ToolError = { code: string; message: string; requestId: string };

describe('the MCP server against the real gateway and services', () => {
  let stack: Stack;
  const clients: Client[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await stack?.stop();
  });

  function transport(kind: TransportKind, credential: string): Transport {
    if (kind === 'stdio') {
      const credentials: Record<string, string> = credential.startsWith('mca_')
        ? { MC_AGENT_KEY: credential }
        : { MC_TOKEN: credential };
      return new StdioClientTransport({
        command: process.execPath,
        args: [BIN],
        env: {
          PATH: process.env.PATH ?? '',
          MC_GATEWAY_URL: stack.gatewayUrl,
          MC_RUN_MODEL: 'claude-sonnet-4-5',
          MC_RUN_PROVIDER: 'anthropic',
          ...credentials,
        },
        stderr: 'ignore',
      });
    }
    return new StreamableHTTPClientTransport(new URL('/mcp', stack.gatewayUrl), {
      requestInit: { headers: { authorization: `Bearer ${credential}` } },
    });
  }

  async function connect(kind: TransportKind, credential: string): Promise<Client> {
    const client = new Client({ name: 'mcp-integration-spec', version: '1.0.0' });
    await client.connect(transport(kind, credential));
    clients.push(client);
    return client;
  }

  const call = (client: Client, name: string, args: Record<string, unknown> = {}) =>
    client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

  /** A resource's JSON text, parsed. */
  const jsonOf = (read: { contents: ({ text: string } | { blob: string })[] }): unknown => {
    const [content] = read.contents;
    return content && 'text' in content ? JSON.parse(content.text) : undefined;
  };

  const errorOf = (result: CallToolResult) =>
    (result.structuredContent as { error: ToolError } | undefined)?.error;

  /** A new key works a moment after it is issued, and a new agent reaches the mission service by its events. */
  async function whenKnown(client: Client): Promise<void> {
    await until(async () => !(await call(client, 'whoami')).isError, 'the agent’s key accepted');
  }

  function readRun(admin: Admin, runId: string) {
    return graph<{
      run: {
        status: string;
        summary: string;
        logLines: number;
        inputTokens: number;
        outputTokens: number;
      };
    }>(
      stack.gatewayUrl,
      'query ($ws: ID!, $id: ID!) { run(workspaceId: $ws, id: $id) { status summary logLines inputTokens outputTokens } }',
      { ws: admin.workspaceId, id: runId },
      admin.token,
    );
  }

  describe.each<TransportKind>(['stdio', 'http'])('over %s', (kind) => {
    it('lists its tools and resources', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, `mcp-list-${kind}`);
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Lister');
      const client = await connect(kind, agent.key);
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual([
        'add_comment',
        'append_log',
        'claim_mission',
        'create_mission',
        'finish_run',
        'next_mission',
        'renew_lease',
        'report_usage',
        'search',
        'whoami',
      ]);
      await whenKnown(client);
      const { resources } = await client.listResources();
      expect(resources.map((resource) => resource.uri)).toEqual([
        'mission://current',
        `board://${admin.workspaceId}`,
      ]);
      const { resourceTemplates } = await client.listResourceTemplates();
      expect(resourceTemplates.map((template) => template.uriTemplate)).toEqual([
        'board://{workspaceId}',
      ]);
    });

    it('runs an agent’s loop: next_mission, append_log, report_usage, add_comment, finish_run', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, `mcp-loop-${kind}`);
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Scout');
      const missionId = await missionInTodo(stack.gatewayUrl, admin, `Collect regolith ${kind}`);
      const client = await connect(kind, agent.key);
      await whenKnown(client);

      let taken: CallToolResult | undefined;
      await until(async () => {
        taken = await call(client, 'next_mission', { adapter: 'claude-code' });
        const { mission } = (taken.structuredContent ?? {}) as { mission?: unknown };
        return mission !== null && mission !== undefined;
      }, 'a mission for the agent');
      const { mission, run } = taken!.structuredContent as {
        mission: { id: string; title: string };
        run: { id: string; status: string };
      };
      expect(mission).toMatchObject({ id: missionId, title: `Collect regolith ${kind}` });
      expect(run.status).toBe('RUNNING');
      expect(taken!.content).toEqual([
        { type: 'text', text: expect.stringContaining(`Claimed mission ${missionId}`) },
      ]);

      const whoami = await call(client, 'whoami');
      expect(whoami.structuredContent).toMatchObject({
        caller: { kind: 'agent', id: agent.id, workspaceId: admin.workspaceId },
        heldMissions: [{ id: missionId }],
      });

      const current = await client.readResource({ uri: 'mission://current' });
      expect(jsonOf(current)).toMatchObject({
        mission: { id: missionId, activeRun: { id: run.id, status: 'RUNNING' } },
      });
      const board = await client.readResource({ uri: `board://${admin.workspaceId}` });
      const columns = (
        jsonOf(board) as {
          columns: { column: string; missions: { id: string }[] }[];
        }
      ).columns;
      expect(columns.map((column) => column.column)).toEqual([
        'BACKLOG',
        'TODO',
        'IN_PROGRESS',
        'REVIEW',
        'DONE',
        'BLOCKED',
      ]);
      expect(columns.flatMap((column) => column.missions.map((entry) => entry.id))).toContain(
        missionId,
      );

      // No ids: the tools work on the mission and run the agent holds.
      const logged = await call(client, 'append_log', { text: 'cloning\nbuilding\n' });
      expect(logged.structuredContent).toEqual({
        runId: run.id,
        firstPosition: 1,
        lastPosition: 2,
      });
      const usage = await call(client, 'report_usage', {
        model: 'claude-sonnet-4-5',
        inputTokens: 1200,
        outputTokens: 300,
      });
      expect(usage.isError).toBeFalsy();
      const lease = await call(client, 'renew_lease');
      expect(lease.structuredContent).toMatchObject({ lease: { id: missionId } });
      const comment = await call(client, 'add_comment', {
        body: 'Samples bagged; @grace please look.',
      });
      expect(comment.structuredContent).toMatchObject({
        comment: { missionId, authorKind: 'agent', author: agent.id },
      });
      const finished = await call(client, 'finish_run', {
        outcome: 'SUCCEEDED',
        summary: 'Samples collected.',
        moveTo: 'REVIEW',
      });
      expect(finished.structuredContent).toMatchObject({
        run: { id: run.id, status: 'SUCCEEDED' },
        mission: { id: missionId, column: 'REVIEW' },
      });
      // Moved on, the mission is no longer held: its claim ended with the move.
      expect((await call(client, 'whoami')).structuredContent).toMatchObject({ heldMissions: [] });

      await expect(readRun(admin, run.id)).resolves.toEqual({
        run: {
          status: 'SUCCEEDED',
          summary: 'Samples collected.',
          logLines: 2,
          inputTokens: 1200,
          outputTokens: 300,
        },
      });
      // Finished once: a second finish is the graph's CONFLICT, as a tool error.
      const again = await call(client, 'finish_run', { outcome: 'FAILED', runId: run.id });
      expect(again.isError).toBe(true);
      expect(errorOf(again)).toMatchObject({ code: 'CONFLICT', requestId: expect.any(String) });
    });

    it('claims a mission assigned to it with claim_mission', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, `mcp-claim-${kind}`);
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Claimer');
      const missionId = await missionInTodo(stack.gatewayUrl, admin, `Fix the rover ${kind}`);
      const client = await connect(kind, agent.key);
      await whenKnown(client);
      // Not assigned to it yet: the graph's refusal, as a tool error.
      const refused = await call(client, 'claim_mission', { missionId });
      expect(errorOf(refused)).toMatchObject({ code: 'FORBIDDEN', requestId: expect.any(String) });

      await until(async () => {
        const answer = await fetch(`${stack.gatewayUrl}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin.token}` },
          body: JSON.stringify({
            query: `mutation ($ws: ID!, $id: ID!, $agent: ID) {
              assignMission(workspaceId: $ws, missionId: $id, agentId: $agent) { id } }`,
            variables: { ws: admin.workspaceId, id: missionId, agent: agent.id },
          }),
        });
        // The mission service learns of a new agent from its events: retry until it knows it.
        return ((await answer.json()) as { errors?: unknown[] }).errors === undefined;
      }, 'the mission assigned');
      const claimed = await call(client, 'claim_mission', { missionId, model: 'gpt-5-codex' });
      expect(claimed.structuredContent).toMatchObject({
        mission: { id: missionId, claimedBy: agent.id },
        run: { missionId, status: 'RUNNING' },
      });
    });

    it('finds missions with search', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, `mcp-search-${kind}`);
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Seeker');
      const missionId = await missionInTodo(stack.gatewayUrl, admin, `Survey the basalt ${kind}`);
      const client = await connect(kind, agent.key);
      await whenKnown(client);
      let found: CallToolResult | undefined;
      // Search is indexed from the event stream: the mission shows up moments after it is made.
      await until(async () => {
        found = await call(client, 'search', { query: 'basalt', kinds: ['MISSION'] });
        return ((found.structuredContent as { total?: number }).total ?? 0) > 0;
      }, 'the mission indexed');
      expect(found!.structuredContent).toMatchObject({
        hits: [{ kind: 'MISSION', missionId, title: `Survey the basalt ${kind}` }],
      });
      expect(found!.content).toEqual([
        { type: 'text', text: expect.stringContaining(`mission ${missionId}`) },
      ]);
    });

    it('answers invalid input with a VALIDATION_ERROR tool error and keeps serving', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, `mcp-invalid-${kind}`);
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Sloppy');
      const client = await connect(kind, agent.key);
      const refused = await call(client, 'report_usage', { model: 'x', inputTokens: 'many' });
      expect(refused.isError).toBe(true);
      expect(errorOf(refused)).toMatchObject({
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('inputTokens'),
        requestId: expect.any(String),
      });
      const notUuid = await call(client, 'add_comment', { body: 'hi', missionId: 'nope' });
      expect(errorOf(notUuid)).toMatchObject({ code: 'VALIDATION_ERROR' });
      // The graph's own refusal of what the schema lets through comes back the same way.
      await whenKnown(client);
      const unknown = await call(client, 'add_comment', {
        body: 'hi',
        missionId: '00000000-0000-4000-8000-000000000000',
      });
      expect(errorOf(unknown)).toMatchObject({ code: 'NOT_FOUND', requestId: expect.any(String) });
      await expect(call(client, 'whoami')).resolves.not.toHaveProperty('isError', true);
    });

    it('answers a revoked key with a clear UNAUTHENTICATED tool error', async () => {
      const admin = await adminOfNewWorkspace(stack.gatewayUrl, `mcp-revoked-${kind}`);
      const agent = await activeAgent(stack.gatewayUrl, admin, 'Revoked');
      const client = await connect(kind, agent.key);
      await whenKnown(client);

      // Issuing a new key revokes the old one; its tokens are refused within a second.
      await issueKey(stack.gatewayUrl, admin, agent.id);
      let refused: CallToolResult | undefined;
      await until(async () => {
        refused = await call(client, 'whoami');
        return refused.isError === true;
      }, 'the old key refused');
      expect(errorOf(refused!)).toMatchObject({
        code: 'UNAUTHENTICATED',
        message: expect.stringMatching(
          /^The agent key was refused \(.+\): it was revoked or replaced/,
        ),
        requestId: expect.any(String),
      });
      expect(refused!.content).toEqual([
        {
          type: 'text',
          text: expect.stringMatching(/^UNAUTHENTICATED: The agent key was refused/),
        },
      ]);
    });
  });

  it('creates a sub-task for a caller with create_missions, and tells an agent it may not', async () => {
    const admin = await adminOfNewWorkspace(stack.gatewayUrl, 'mcp-subtask');
    const agent = await activeAgent(stack.gatewayUrl, admin, 'Planner');
    const parentId = await missionInTodo(stack.gatewayUrl, admin, 'Build the habitat');

    const person = await connect('http', admin.token);
    const created = await call(person, 'create_mission', {
      title: 'Pour the foundation',
      parentMissionId: parentId,
      priority: 'HIGH',
    });
    expect(created.isError).toBeFalsy();
    const { mission } = created.structuredContent as {
      mission: { id: string; description: string };
    };
    expect(mission.description).toBe(`Sub-task of mission ${parentId} (“Build the habitat”).`);

    const agentClient = await connect('stdio', agent.key);
    await whenKnown(agentClient);
    const refused = await call(agentClient, 'create_mission', {
      title: 'Hire a crane',
      parentMissionId: parentId,
    });
    expect(errorOf(refused)).toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses /mcp without credentials with a coded 401 and a request id', async () => {
    const response = await fetch(`${stack.gatewayUrl}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(response.status).toBe(401);
    const requestId = response.headers.get('x-request-id');
    expect(requestId).toEqual(expect.any(String));
    await expect(response.json()).resolves.toMatchObject({
      jsonrpc: '2.0',
      error: { data: { code: 'UNAUTHENTICATED', requestId } },
    });
  });
});
