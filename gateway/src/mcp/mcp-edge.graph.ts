import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { toPublicError } from '@mission-control/errors';
import { type McpCaller, type MissionControlGraph } from '@mission-control/mcp';
import { MissionControlError } from '@mission-control/sdk';
import { type DocumentNode, print } from 'graphql';
import type { GatewayContext } from '../graphql/gateway-context';
import type { SupergraphServer } from '../graphql/supergraph-server';

// Documents are constants: print each once.
const printed = new WeakMap<DocumentNode, string>();
const source = (document: DocumentNode): string => {
  let query = printed.get(document);
  if (query === undefined) {
    query = print(document);
    printed.set(document, query);
  }
  return query;
};

/** What the edge threw (an AppError, or worse), as the coded error the tools report. */
export function mcpErrorOf(error: unknown, requestId: string): MissionControlError {
  if (error instanceof MissionControlError) {
    return error;
  }
  const { body } = toPublicError(error, requestId);
  return new MissionControlError({ ...body.error, cause: error });
}

/**
 * The graph as /mcp's tools reach it: each operation through the gateway's own edge
 * (SupergraphServer.execute) under the caller's admitted context, as REST v1 does; no HTTP hop.
 */
export class McpEdgeGraph implements MissionControlGraph {
  constructor(
    private readonly supergraph: SupergraphServer,
    private readonly admitted: () => Promise<GatewayContext>,
    private readonly requestId: string,
  ) {}

  async request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const context = await this.context();
    let result;
    try {
      result = await this.supergraph.execute(context, {
        query: source(document),
        variables: variables ?? {},
      });
    } catch (error) {
      throw mcpErrorOf(error, this.requestId);
    }
    const [first] = result.errors;
    if (first) {
      throw MissionControlError.fromGraphQLError(first, this.requestId);
    }
    if (result.data === null) {
      throw new MissionControlError({
        code: 'INTERNAL_ERROR',
        message: 'The graph answered no data',
        requestId: this.requestId,
      });
    }
    return result.data as TResult;
  }

  async caller(): Promise<McpCaller> {
    const { principal } = await this.context();
    if (!principal) {
      throw new MissionControlError({
        code: 'UNAUTHENTICATED',
        message: 'Send "Authorization: Bearer <agent key or access token>"',
        requestId: this.requestId,
      });
    }
    return { kind: principal.kind, id: principal.subject, workspaceId: principal.workspaceId };
  }

  private async context(): Promise<GatewayContext> {
    try {
      return await this.admitted();
    } catch (error) {
      throw mcpErrorOf(error, this.requestId);
    }
  }
}
