import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { CurrentWork } from '../work/current-work';
import type { MissionControlGraph } from '../graph/mission-control-graph';

/** What a run started by next_mission or claim_mission is recorded as, unless the call says. */
export type RunDefaults = { adapter: string; model: string; provider: string };

export type ToolContext = {
  graph: MissionControlGraph;
  work: CurrentWork;
  runDefaults: RunDefaults;
};

/** One tool: its input schema (listed to clients and checked before it runs) and what it does. */
export type ToolDefinition<TShape extends z.ZodRawShape = z.ZodRawShape> = {
  name: string;
  title: string;
  description: string;
  input: z.ZodObject<TShape>;
  annotations?: ToolAnnotations;
  run(input: z.output<z.ZodObject<TShape>>, context: ToolContext): Promise<CallToolResult>;
};

/** Keeps a tool's input type tied to its schema where tools of every shape are listed together. */
export const defineTool = <TShape extends z.ZodRawShape>(
  tool: ToolDefinition<TShape>,
): ToolDefinition => tool;
