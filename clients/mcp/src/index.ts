export * from './graph/mission-control-graph';
export * from './graph/sdk-graph';
export * from './server/mission-control-mcp.server';
export { CURRENT_MISSION_URI, BOARD_URI_TEMPLATE } from './resources/mission.resources';
export type { RunDefaults, ToolDefinition } from './tools/tool-definition';
export { toolError } from './tools/tool-result';
export * from './stdio/serve-stdio';
export * from './stdio/stdio-config';
