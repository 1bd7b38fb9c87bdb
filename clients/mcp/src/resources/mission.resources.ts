import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, type ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { isMissionControlError } from '@mission-control/sdk';
import { McpBoardDocument, McpMissionDetailDocument } from '../graphql/generated';
import type { MissionControlGraph } from '../graph/mission-control-graph';
import type { CurrentWork } from '../work/current-work';

export const CURRENT_MISSION_URI = 'mission://current';
export const BOARD_URI_TEMPLATE = 'board://{workspaceId}';

// A board read for a model: the first missions of each column, each column's count beside them.
const BOARD_PER_COLUMN = 50;

const json = (uri: string, value: unknown): ReadResourceResult => ({
  contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

/** A JSON-RPC error as the protocol layer sends it: its code, message and data as they are. */
class ResourceReadError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data: Record<string, unknown>,
  ) {
    super(message);
  }
}

/**
 * A resource that cannot be read is a protocol error (resources have no isError): its message and
 * data still carry the code and request id, as a tool error's do.
 */
const coded =
  (requestId: () => string) =>
  async <T>(read: () => Promise<T>): Promise<T> => {
    try {
      return await read();
    } catch (error) {
      if (!isMissionControlError(error)) {
        throw error;
      }
      const id = error.requestId ?? requestId();
      const invalid = error.code === 'VALIDATION_ERROR' || error.code === 'NOT_FOUND';
      throw new ResourceReadError(
        invalid ? ErrorCode.InvalidParams : ErrorCode.InternalError,
        `${error.code}: ${error.message} (request id ${id})`,
        { code: error.code, requestId: id, retryable: error.retryable },
      );
    }
  };

/** The mission the agent holds and the workspace's board, read from the graph when asked. */
export function registerMissionResources(
  server: McpServer,
  graph: MissionControlGraph,
  work: CurrentWork,
  requestId: () => string,
): void {
  const read = coded(requestId);
  server.registerResource(
    'current-mission',
    CURRENT_MISSION_URI,
    {
      title: 'Current mission',
      description:
        'The mission you hold (claimed last): title, description, comments and the run going on; null when you hold none.',
      mimeType: 'application/json',
    },
    (uri) =>
      read(async () => {
        const current = await work.mission();
        if (!current) {
          return json(uri.href, { mission: null });
        }
        const { mission } = await graph.request(McpMissionDetailDocument, {
          workspaceId: current.workspaceId,
          id: current.id,
        });
        return json(uri.href, { mission });
      }),
  );

  server.registerResource(
    'board',
    new ResourceTemplate(BOARD_URI_TEMPLATE, {
      list: () =>
        read(async () => {
          const { workspaceId } = await work.caller();
          return {
            resources: workspaceId
              ? [{ uri: `board://${workspaceId}`, name: 'board', mimeType: 'application/json' }]
              : [],
          };
        }),
    }),
    {
      title: 'Board',
      description: `The workspace’s board: every column with its first ${BOARD_PER_COLUMN} missions in rank order and its total count.`,
      mimeType: 'application/json',
    },
    (uri, { workspaceId }) =>
      read(async () => {
        const { board } = await graph.request(McpBoardDocument, {
          workspaceId: String(workspaceId),
          perColumn: BOARD_PER_COLUMN,
        });
        return json(uri.href, { workspaceId: String(workspaceId), ...board });
      }),
  );
}
