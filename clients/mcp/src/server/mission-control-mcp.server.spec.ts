import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MissionControlError } from '@mission-control/sdk';
import { type DocumentNode, Kind } from 'graphql';
import type { McpCaller, MissionControlGraph } from '../graph/mission-control-graph';
import { createMissionControlMcpServer } from './mission-control-mcp.server';

const WS = '11111111-1111-4111-8111-111111111111';
const AGENT = '22222222-2222-4222-8222-222222222222';
const MISSION = '33333333-3333-4333-8333-333333333333';
const RUN = '44444444-4444-4444-8444-444444444444';

type Handler = (variables: Record<string, unknown>) => unknown;
type Call = { operation: string; variables: Record<string, unknown> };

const operationName = (document: DocumentNode) =>
  document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION)?.name
    ?.value ?? '';

const heldMission = {
  id: MISSION,
  workspaceId: WS,
  title: 'Collect regolith',
  claimedAt: '2026-12-07T10:00:00.000Z',
  activeRun: { id: RUN, status: 'RUNNING' },
};

/** A graph that answers each operation by name, recording what it was sent. */
function fakeGraph(handlers: Record<string, Handler>, caller?: McpCaller) {
  const calls: Call[] = [];
  const graph: MissionControlGraph = {
    request: <TResult>(document: DocumentNode, variables: unknown) => {
      const operation = operationName(document);
      calls.push({ operation, variables: variables as Record<string, unknown> });
      const handler = handlers[operation];
      return handler
        ? Promise.resolve().then(() => handler(variables as Record<string, unknown>) as TResult)
        : Promise.reject(new Error(`unexpected operation ${operation}`));
    },
    caller: () => Promise.resolve(caller ?? { kind: 'agent', id: AGENT, workspaceId: WS }),
  };
  return { graph, calls };
}

async function connected(graph: MissionControlGraph): Promise<Client> {
  const sut = createMissionControlMcpServer({ graph, requestId: () => 'req-local' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await sut.connect(serverSide);
  const client = new Client({ name: 'spec', version: '1.0.0' });
  await client.connect(clientSide);
  return client;
}

const call = (client: Client, name: string, args: Record<string, unknown>) =>
  client.callTool({ name, arguments: args }) as Promise<CallToolResult>;

describe('createMissionControlMcpServer', () => {
  it('lists every tool with its input schema, and both resources', async () => {
    const client = await connected(fakeGraph({}).graph);
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual([
      'whoami',
      'next_mission',
      'claim_mission',
      'renew_lease',
      'append_log',
      'report_usage',
      'finish_run',
      'add_comment',
      'create_mission',
      'search',
    ]);
    const appendLog = tools.find((tool) => tool.name === 'append_log');
    expect(appendLog?.inputSchema).toMatchObject({
      type: 'object',
      required: ['text'],
      properties: { stream: { enum: ['STDOUT', 'STDERR', 'SYSTEM'] } },
    });
    const { resources } = await client.listResources();
    expect(resources.map((resource) => resource.uri)).toEqual([
      'mission://current',
      `board://${WS}`,
    ]);
  });

  it('answers input its schema refuses with a VALIDATION_ERROR tool error naming each field', async () => {
    const { graph, calls } = fakeGraph({});
    const client = await connected(graph);
    const result = await call(client, 'report_usage', { model: '', inputTokens: -1 });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toEqual({
      error: {
        code: 'VALIDATION_ERROR',
        message: expect.stringContaining('inputTokens'),
        requestId: 'req-local',
        retryable: false,
        details: {
          fields: expect.arrayContaining([
            expect.objectContaining({ path: 'model' }),
            expect.objectContaining({ path: 'inputTokens' }),
            expect.objectContaining({ path: 'outputTokens' }),
          ]),
        },
      },
    });
    expect(result.content).toEqual([
      {
        type: 'text',
        text: expect.stringMatching(/^VALIDATION_ERROR: .*\(request id req-local\)/),
      },
    ]);
    expect(calls).toEqual([]);
  });

  it('reports the graph’s coded error with its request id, and keeps serving', async () => {
    const { graph } = fakeGraph({
      McpClaimedMissions: () => ({ claimedMissions: [heldMission] }),
      RenewLease: () => {
        throw new MissionControlError({
          code: 'CONFLICT',
          message: 'The claim has lapsed',
          requestId: 'req-graph',
        });
      },
      McpSearch: () => ({ search: { total: 0, tookMs: 1, hits: [] } }),
    });
    const client = await connected(graph);
    const refused = await call(client, 'renew_lease', {});
    expect(refused).toMatchObject({
      isError: true,
      structuredContent: { error: { code: 'CONFLICT', requestId: 'req-graph' } },
    });
    const unexpected = await call(client, 'search', { query: 'x', first: 5 });
    expect(unexpected.isError).toBeUndefined();
  });

  it('hides an uncoded failure as INTERNAL_ERROR', async () => {
    const { graph } = fakeGraph({
      McpSearch: () => {
        throw new Error('socket hang up at 10.0.0.3');
      },
    });
    const result = await call(await connected(graph), 'search', { query: 'regolith' });
    expect(result.structuredContent).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
    expect(JSON.stringify(result)).not.toContain('10.0.0.3');
  });

  it('works on the mission and run the agent holds when no id is given', async () => {
    const { graph, calls } = fakeGraph({
      McpClaimedMissions: () => ({
        claimedMissions: [
          { ...heldMission, id: 'older', claimedAt: '2026-12-07T09:00:00.000Z', activeRun: null },
          heldMission,
        ],
      }),
      AppendRunLog: ({ lines }) => ({
        appendRunLog: { firstPosition: 1, lastPosition: (lines as unknown[]).length },
      }),
    });
    const client = await connected(graph);
    const result = await call(client, 'append_log', { text: 'cloning\nbuilding\n' });
    expect(result.structuredContent).toEqual({ runId: RUN, firstPosition: 1, lastPosition: 2 });
    expect(calls.at(-1)).toEqual({
      operation: 'AppendRunLog',
      variables: expect.objectContaining({
        workspaceId: WS,
        runId: RUN,
        lines: [
          { stream: 'STDOUT', text: 'cloning' },
          { stream: 'STDOUT', text: 'building' },
        ],
        idempotencyKey: expect.any(String),
      }),
    });
  });

  it('sends a long output in chunks the API takes, in order', async () => {
    const chunks: number[] = [];
    const { graph } = fakeGraph({
      AppendRunLog: ({ lines }) => {
        const count = (lines as unknown[]).length;
        const first = chunks.reduce((sum, size) => sum + size, 0) + 1;
        chunks.push(count);
        return { appendRunLog: { firstPosition: first, lastPosition: first + count - 1 } };
      },
    });
    const text = Array.from({ length: 1_200 }, (_, index) => `line ${index}`).join('\n');
    const result = await call(await connected(graph), 'append_log', { text, runId: RUN });
    expect(chunks).toEqual([500, 500, 200]);
    expect(result.structuredContent).toMatchObject({ firstPosition: 1, lastPosition: 1_200 });
  });

  it('tells an agent holding nothing to pass an id or take work', async () => {
    const { graph } = fakeGraph({ McpClaimedMissions: () => ({ claimedMissions: [] }) });
    const result = await call(await connected(graph), 'finish_run', { outcome: 'SUCCEEDED' });
    expect(result.structuredContent).toMatchObject({
      error: { code: 'VALIDATION_ERROR', details: { fields: [{ path: 'runId' }] } },
    });
  });

  it('starts a run for the mission next_mission claims, with the server’s defaults', async () => {
    const { graph, calls } = fakeGraph({
      NextMission: () => ({
        nextMission: { ...heldMission, priority: 'HIGH', leaseExpiresAt: '2026-12-07T10:05:00Z' },
      }),
      StartRun: () => ({
        startRun: { id: RUN, missionId: MISSION, status: 'RUNNING', inputTokens: 0 },
      }),
    });
    const result = await call(await connected(graph), 'next_mission', {
      model: 'claude-sonnet-4-5',
    });
    expect(result.content).toEqual([
      { type: 'text', text: expect.stringContaining(`Claimed mission ${MISSION}`) },
    ]);
    expect(calls.find((entry) => entry.operation === 'StartRun')?.variables).toMatchObject({
      missionId: MISSION,
      input: { adapter: 'mcp', model: 'claude-sonnet-4-5', provider: 'unknown' },
    });
  });

  it('answers null when there is no work, without starting a run', async () => {
    const { graph, calls } = fakeGraph({ NextMission: () => ({ nextMission: null }) });
    const result = await call(await connected(graph), 'next_mission', {});
    expect(result.structuredContent).toEqual({ mission: null, run: null });
    expect(calls.map((entry) => entry.operation)).toEqual(['NextMission']);
  });

  it('creates a sub-task whose description names its parent', async () => {
    const { graph, calls } = fakeGraph({
      McpClaimedMissions: () => ({ claimedMissions: [heldMission] }),
      McpMissionDetail: () => ({ mission: { id: MISSION, title: 'Collect regolith' } }),
      McpCreateMission: ({ input }) => ({
        createMission: { id: 'child', column: 'BACKLOG', ...(input as object) },
      }),
    });
    const result = await call(await connected(graph), 'create_mission', {
      title: 'Label the samples',
      description: 'One bag each.',
    });
    expect(result.isError).toBeUndefined();
    expect(calls.at(-1)?.variables).toEqual({
      workspaceId: WS,
      input: {
        title: 'Label the samples',
        description: `Sub-task of mission ${MISSION} (“Collect regolith”).\n\nOne bag each.`,
      },
    });
  });

  it('answers a resource the graph refuses with a protocol error carrying the code and request id', async () => {
    const { graph } = fakeGraph({
      McpBoard: () => {
        throw new MissionControlError({
          code: 'FORBIDDEN',
          message: 'Not a member of this workspace',
          requestId: 'req-graph',
        });
      },
    });
    const client = await connected(graph);
    await expect(client.readResource({ uri: `board://${WS}` })).rejects.toMatchObject({
      message: expect.stringContaining(
        'FORBIDDEN: Not a member of this workspace (request id req-graph)',
      ),
      data: { code: 'FORBIDDEN', requestId: 'req-graph', retryable: false },
    });
  });

  it('reads the current mission as JSON, or null when none is held', async () => {
    const { graph } = fakeGraph({ McpClaimedMissions: () => ({ claimedMissions: [] }) });
    const read = await (await connected(graph)).readResource({ uri: 'mission://current' });
    expect(read.contents).toEqual([
      { uri: 'mission://current', mimeType: 'application/json', text: '{\n  "mission": null\n}' },
    ]);
  });
});
