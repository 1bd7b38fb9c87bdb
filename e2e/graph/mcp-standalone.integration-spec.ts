import { until } from '@mission-control/testing';
import { GraphClient } from '../support/graph-client';
import { IdentityWorld } from '../support/identity-world';
import { SquadWorld } from '../support/squad-world';
import {
  freshDataDir,
  startStandalone,
  type StandaloneProcess,
} from '../support/standalone-process';

type JsonRpcAnswer = {
  result?: {
    tools?: { name: string }[];
    isError?: boolean;
    structuredContent?: Record<string, unknown>;
  };
  error?: { message: string };
};

/** `npm start` serves the MCP server at /mcp on its one port, as the gateway does deployed. */
describe('MCP in standalone mode', () => {
  let instance: StandaloneProcess;

  beforeAll(async () => {
    instance = await startStandalone(freshDataDir());
  });
  afterAll(async () => {
    await instance?.stop();
  });

  /** One JSON-RPC request to /mcp, as a Streamable HTTP client sends it. */
  async function mcp(key: string, method: string, params: Record<string, unknown> = {}) {
    const response = await fetch(`${instance.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-06-18',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    return (await response.json()) as JsonRpcAnswer;
  }

  it('lists the tools and runs one with an agent key on the one port', async () => {
    const graph = new GraphClient(instance.url);
    const admin = await new IdentityWorld(graph).workspace('standalone-mcp');
    const agent = await new SquadWorld(graph).activeAgent(admin, 'Standalone Claude');

    const initialized = await mcp(agent.key, 'initialize', {
      protocolVersion: '2025-06-18',
      capabilities: {},
      clientInfo: { name: 'standalone-spec', version: '1.0.0' },
    });
    expect(initialized.error).toBeUndefined();
    const listed = await mcp(agent.key, 'tools/list');
    expect(listed.result?.tools?.map((tool) => tool.name)).toContain('next_mission');

    let whoami: JsonRpcAnswer | undefined;
    // A key works a moment after it is issued.
    await until(async () => {
      whoami = await mcp(agent.key, 'tools/call', { name: 'whoami', arguments: {} });
      return whoami.result?.isError !== true;
    }, 'the agent’s key accepted');
    expect(whoami!.result?.structuredContent).toMatchObject({
      caller: { kind: 'agent', id: agent.id, workspaceId: admin.workspaceId },
    });
  });
});
