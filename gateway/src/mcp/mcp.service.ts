import { Injectable } from '@nestjs/common';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { AppError, ErrorCode, toPublicError } from '@mission-control/errors';
import { createMissionControlMcpServer, PresenceThrottle } from '@mission-control/mcp';
import { requestIdOf } from '@mission-control/platform';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import type { GatewayContext } from '../graphql/gateway-context';
import { SupergraphServer } from '../graphql/supergraph-server';
import { agentKeyOf, AgentKeyTokens, type ExchangedToken } from './agent-key-tokens';
import { McpEdgeGraph } from './mcp-edge.graph';

type EdgeRequest = Request & { id?: unknown };

const EXCHANGE_AGENT_KEY = `mutation ($key: String!) {
  exchangeAgentKey(key: $key) { accessToken accessTokenExpiresAt } }`;

// JSON-RPC's code for an error of the server's own, outside the protocol's reserved range.
const JSON_RPC_SERVER_ERROR = -32001;

/** The request as the edge should see it, with another Authorization header (or none). */
function withAuthorization(request: EdgeRequest, authorization: string | undefined): EdgeRequest {
  return Object.create(request, {
    headers: { value: { ...request.headers, authorization }, enumerable: true },
  }) as EdgeRequest;
}

/**
 * /mcp: Mission Control's MCP server over Streamable HTTP, stateless (each POST is served by a
 * server of its own, so any replica serves any call). The caller is admitted as on /graphql (its
 * token, or its agent key traded for one, the rate limit, the request id), and the tools run each
 * operation through the same edge.
 */
@Injectable()
export class McpService {
  private readonly keys = new AgentKeyTokens();
  private readonly presence = new PresenceThrottle();

  constructor(
    private readonly supergraph: SupergraphServer,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(McpService.name);
  }

  async serve(request: EdgeRequest, response: Response): Promise<void> {
    const requestId = requestIdOf(request, response);
    response.setHeader('cache-control', 'no-store');
    const authorization = request.headers.authorization;
    if (authorization === undefined || authorization.trim() === '') {
      return this.refuse(
        response,
        requestId,
        AppError.unauthenticated(
          'Send "Authorization: Bearer <agent key or access token>" to use Mission Control’s MCP server',
        ),
      );
    }
    // Admitted once per request, as /graphql admits a request: the rate limit is spent here, and
    // a refused credential is what each tool call then answers with (an UNAUTHENTICATED tool error).
    const admitted = this.admit(request, requestId, authorization);
    const admission = await admitted.then(
      () => null,
      (error: unknown) => error,
    );
    if (admission instanceof AppError && admission.code === ErrorCode.LIMIT_EXCEEDED) {
      return this.refuse(response, requestId, admission);
    }

    const server = createMissionControlMcpServer({
      graph: new McpEdgeGraph(this.supergraph, () => admitted, requestId),
      requestId: () => requestId,
      presence: this.presence,
    });
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response, request.body);
    } catch (error) {
      this.logger.error({ err: error, requestId }, 'unexpected error at the MCP edge');
      if (!response.headersSent) {
        this.refuse(response, requestId, error);
      }
    }
  }

  /** Stateless: no stream to resume (GET) and no session to end (DELETE). */
  methodNotAllowed(response: Response): void {
    response
      .status(405)
      .setHeader('allow', 'POST')
      .json({
        jsonrpc: '2.0',
        error: { code: -32000, message: 'Method not allowed: this MCP server is stateless; POST.' },
        id: null,
      });
  }

  private async admit(
    request: EdgeRequest,
    requestId: string,
    authorization: string,
  ): Promise<GatewayContext> {
    const key = agentKeyOf(authorization);
    if (key === undefined) {
      return this.supergraph.admit(request, requestId);
    }
    const exchange = () => this.exchange(request, requestId, key);
    const token = await this.keys.token(key, exchange);
    try {
      return await this.supergraph.admit(withAuthorization(request, `Bearer ${token}`), requestId);
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== ErrorCode.UNAUTHENTICATED) {
        throw error;
      }
      // The token was refused (revoked since): the key's own answer is the one to give.
      this.keys.forget(key);
      const fresh = await this.keys.token(key, exchange);
      try {
        return await this.supergraph.admit(
          withAuthorization(request, `Bearer ${fresh}`),
          requestId,
        );
      } catch (refused) {
        // Exchanged before identity learned of the revocation: the edge already knows.
        this.keys.forget(key);
        throw refused instanceof AppError && refused.code === ErrorCode.UNAUTHENTICATED
          ? keyRefused(refused.message)
          : refused;
      }
    }
  }

  private async exchange(
    request: EdgeRequest,
    requestId: string,
    key: string,
  ): Promise<ExchangedToken> {
    const anonymous = await this.supergraph.admit(withAuthorization(request, undefined), requestId);
    const result = await this.supergraph.execute(anonymous, {
      query: EXCHANGE_AGENT_KEY,
      variables: { key },
    });
    const [first] = result.errors;
    if (first) {
      const code = first.extensions.code;
      if (code === ErrorCode.UNAUTHENTICATED) {
        throw keyRefused(first.message);
      }
      throw new AppError(code, first.message);
    }
    return (result.data as { exchangeAgentKey: ExchangedToken }).exchangeAgentKey;
  }

  private refuse(response: Response, requestId: string, error: unknown): void {
    const { status, body, internal } = toPublicError(error, requestId);
    if (internal) {
      this.logger.error({ err: error, requestId }, 'unexpected error at the MCP edge');
    }
    const retryAfter = body.error.details?.retryAfterSeconds;
    if (typeof retryAfter === 'number') {
      response.setHeader('retry-after', String(retryAfter));
    }
    response.status(status).json({
      jsonrpc: '2.0',
      error: {
        code: JSON_RPC_SERVER_ERROR,
        message: `${body.error.code}: ${body.error.message} (request id ${requestId})`,
        data: body.error,
      },
      id: null,
    });
  }
}

const keyRefused = (why: string) =>
  AppError.unauthenticated(
    `The agent key was refused (${why}): it was revoked or replaced, or the agent was deactivated. Issue a new key with issueAgentKey.`,
  );
