import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  type CallToolResult,
  ErrorCode,
  McpError,
} from '@modelcontextprotocol/sdk/types.js';
import type { MissionControlGraph } from '../graph/mission-control-graph';
import { heartbeat, type PresenceThrottle } from '../presence/agent-presence';
import { registerMissionResources } from '../resources/mission.resources';
import { MISSION_TOOLS } from '../tools/mission.tools';
import type { RunDefaults, ToolDefinition } from '../tools/tool-definition';
import { invalidInput, toolError } from '../tools/tool-result';
import { WORK_LOOP_TOOLS } from '../tools/work-loop.tools';
import { CurrentWork } from '../work/current-work';

export const MCP_SERVER_NAME = 'mission-control';
export const MCP_SERVER_VERSION = '0.1.0';

export type MissionControlMcpServerOptions = {
  /** The graph the tools call, as the caller: `sdkGraph(...)`, or the gateway's own edge. */
  graph: MissionControlGraph;
  /** What runs are recorded as when a tool call does not say (default adapter "mcp"). */
  runDefaults?: Partial<RunDefaults>;
  /**
   * The id an error found before any request reached the graph is reported under (a refused
   * input): the HTTP request's on /mcp; a new one for each call by default.
   */
  requestId?: () => string;
  /**
   * Heartbeat for an agent when it calls a tool and is due one: for a server that holds no timer
   * per agent (the gateway's /mcp). The stdio server heartbeats on a timer instead.
   */
  presence?: PresenceThrottle;
};

export const TOOLS: readonly ToolDefinition[] = [...WORK_LOOP_TOOLS, ...MISSION_TOOLS];

const INSTRUCTIONS = [
  'Mission Control is where your squad’s work is tracked. To work: next_mission claims a mission',
  'and starts a run; append_log records output, report_usage the tokens spent; finish_run ends',
  'the run (moveTo REVIEW or DONE moves the mission). renew_lease keeps a long claim alive.',
  'Read mission://current for the mission you hold. Errors name a code and a request id.',
].join(' ');

/**
 * Mission Control's MCP server: the work-loop tools, comments, sub-tasks and search, and the
 * current mission and board as resources, over whatever transport it is connected to.
 */
export function createMissionControlMcpServer(options: MissionControlMcpServerOptions): McpServer {
  const { graph } = options;
  const requestId = options.requestId ?? (() => randomUUID());
  const work = new CurrentWork(graph);
  const context = {
    graph,
    work,
    runDefaults: { adapter: 'mcp', model: 'unknown', provider: 'unknown', ...options.runDefaults },
  };
  const server = new McpServer(
    { name: MCP_SERVER_NAME, version: MCP_SERVER_VERSION },
    { instructions: INSTRUCTIONS },
  );
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        annotations: tool.annotations,
      },
      (input: Record<string, unknown>) => callTool(tool, input),
    );
  }
  registerMissionResources(server, graph, work, requestId);

  async function callTool(tool: ToolDefinition, input: unknown): Promise<CallToolResult> {
    const parsed = tool.input.safeParse(input ?? {});
    if (!parsed.success) {
      return toolError(invalidInput(parsed.error, requestId()), requestId());
    }
    try {
      await keepAlive();
      return await tool.run(parsed.data, context);
    } catch (error) {
      return toolError(error, requestId());
    }
  }

  async function keepAlive(): Promise<void> {
    const { presence } = options;
    const caller = presence ? await work.caller() : null;
    if (presence && caller?.kind === 'agent' && presence.due(caller.id)) {
      // Presence is a courtesy to the agent: the tool's own call reports what is wrong.
      await heartbeat(graph, work).catch(() => undefined);
    }
  }

  // McpServer answers an input its schema refuses with a text of its own; an agent needs the
  // coded error every other failure carries (code, fields, request id), so calls are answered
  // here, checked against the same schemas the tool list shows.
  server.server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = TOOLS.find((candidate) => candidate.name === request.params.name);
    if (!tool) {
      throw new McpError(ErrorCode.InvalidParams, `Tool ${request.params.name} not found`);
    }
    return callTool(tool, request.params.arguments);
  });
  return server;
}
