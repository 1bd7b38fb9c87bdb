import { ApolloGateway } from '@apollo/gateway';
import {
  ApolloServer,
  type ApolloServerOptions,
  type ApolloServerPlugin,
  HeaderMap,
} from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import {
  CLIENT_ADDRESS_HEADER,
  PRINCIPAL_HEADER,
  signPrincipalHeader,
  type Principal,
  verifyClientAddress,
} from '@mission-control/auth';
import type { Secret } from '@mission-control/config';
import { AppError, ErrorCode } from '@mission-control/errors';
import { QueryLane, queryLanePlugin, type ReadinessCheck } from '@mission-control/platform';
import type { Request, Response } from 'express';
import { GraphQLError, OperationTypeNode } from 'graphql';
import { readFile } from 'node:fs/promises';
import { PinoLogger } from 'nestjs-pino';
import { Agent } from 'undici';
import { EdgeAuthenticator } from '../auth/edge-authenticator';
import type { GatewayContext } from './gateway-context';
import {
  codedGraphQLError,
  edgeError,
  type PublicGraphQLError,
  toPublicGraphQLError,
} from './graphql-errors';
import { type QueryLimits, queryLimitRules } from './query-limits';
import { EdgeRateLimits, type RateLimitOptions } from './rate-limits';
import { currentRequestId, runInRequestScope } from './request-scope';
import { SubgraphDataSource } from './subgraph.data-source';
import { subgraphFetcher } from './subgraph-fetcher';

export const GRAPHQL_EDGE_OPTIONS = Symbol('GRAPHQL_EDGE_OPTIONS');

export type GraphqlEdgeOptions = {
  /** Introspection, the landing page and schema hints in errors are off in production. */
  production: boolean;
  supergraphPath: string;
  subgraphUrls: Record<string, string>;
  internalAuthSecret: Secret;
  /** Verifies the browser address the web server vouches for; unset, none is believed. */
  clientAddressSecret?: Secret;
  limits: QueryLimits & { maxTokens: number; maxBatch: number };
  rateLimits: RateLimitOptions;
  /** Queries executing at once (0: no limit); see QueryLane. */
  queryConcurrency: number;
};

type EdgeRequest = Request & { id?: unknown };

/** What an operation run for another surface answered; errors are already public. */
export type OperationResult = {
  data: Record<string, unknown> | null;
  errors: PublicGraphQLError[];
};
/** The id the platform's request logger gave this request (a caller's well-formed one, or new). */
function requestIdOf(request: EdgeRequest, response: Response): string {
  const id = request.id ?? response.getHeader('x-request-id');
  return typeof id === 'string' || typeof id === 'number' ? String(id) : 'unknown';
}

/**
 * Apollo Gateway throws an uncoded error (500) when the document has several operations and no
 * operationName, or none of that name, or is a subscription (which it cannot run over HTTP);
 * graphql-js would have called each a client error. Refused here, before execution, as the 400
 * it is.
 */
const operationResolution: ApolloServerPlugin<GatewayContext> = {
  requestDidStart: () =>
    Promise.resolve({
      didResolveOperation: ({ operation, request }) => {
        if (operation?.operation === OperationTypeNode.SUBSCRIPTION) {
          return Promise.reject(
            new GraphQLError(
              'Subscriptions are served over a WebSocket (graphql-ws), not over HTTP.',
              { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } },
            ),
          );
        }
        if (operation) {
          return Promise.resolve();
        }
        const message =
          typeof request.operationName === 'string'
            ? 'operationName does not name an operation of the document.'
            : 'The document has several operations: say which to run with operationName.';
        return Promise.reject(
          new GraphQLError(message, {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE', http: { status: 400 } },
          }),
        );
      },
    }),
};

type ApolloLogger = NonNullable<ApolloServerOptions<GatewayContext>['logger']>;

/**
 * Apollo Gateway over the supergraph composed at build, served on the Nest HTTP server. Owns the
 * edge's rules: who the caller is, how big a request may be, and what an error may reveal.
 */
@Injectable()
export class SupergraphServer implements OnModuleInit, OnApplicationShutdown {
  private server: ApolloServer<GatewayContext> | undefined;
  private readonly rateLimits: EdgeRateLimits;
  private readonly signedHeaders = new LRUCache<string, Promise<string>>({
    max: 10_000,
    ttl: 30_000,
  });
  /** Keep-alive connections to every subgraph, shared by their data sources. */
  private readonly subgraphPool = new Agent({ keepAliveTimeout: 30_000 });

  constructor(
    @Inject(GRAPHQL_EDGE_OPTIONS) private readonly options: GraphqlEdgeOptions,
    private readonly auth: EdgeAuthenticator,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(SupergraphServer.name);
    this.rateLimits = new EdgeRateLimits(options.rateLimits);
  }

  /**
   * A supergraph that does not load leaves the process up but not ready: a rollout stalls on the
   * readiness probe while the previous version keeps serving, and the log says why.
   */
  async onModuleInit(): Promise<void> {
    try {
      const supergraphSdl = await readFile(this.options.supergraphPath, 'utf8');
      const server = this.createServer(supergraphSdl);
      await server.start();
      this.server = server;
    } catch (error) {
      this.logger.error(
        { err: error, supergraphPath: this.options.supergraphPath },
        'supergraph did not load; /graphql is unavailable',
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.stop();
    await this.subgraphPool.close();
  }

  readiness(): ReadinessCheck {
    return {
      name: 'supergraph',
      check: () =>
        this.server
          ? Promise.resolve()
          : Promise.reject(new Error(`supergraph not loaded from ${this.options.supergraphPath}`)),
    };
  }

  async handle(request: EdgeRequest, response: Response): Promise<void> {
    const requestId = requestIdOf(request, response);
    const server = this.server;
    if (!server) {
      return this.reject(
        response,
        requestId,
        new AppError(
          ErrorCode.INTERNAL_ERROR,
          'The graph is not available yet; try again shortly.',
        ),
      );
    }
    const body: unknown = request.body;
    const { maxBatch } = this.options.limits;
    if (Array.isArray(body) && body.length > maxBatch) {
      return this.reject(
        response,
        requestId,
        AppError.validation(
          `A batch may hold at most ${maxBatch} operations; this one has ${body.length}.`,
          { limit: 'maxBatch', max: maxBatch },
        ),
      );
    }
    let context: GatewayContext;
    try {
      context = await this.admit(request, requestId, Array.isArray(body) ? body.length : 1);
    } catch (error) {
      return this.reject(response, requestId, error);
    }

    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined && name !== PRINCIPAL_HEADER) {
        headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
    }
    const result = await runInRequestScope(requestId, () =>
      server.executeHTTPGraphQLRequest({
        httpGraphQLRequest: {
          method: request.method.toUpperCase(),
          headers,
          search: new URL(request.originalUrl, 'http://gateway').search,
          body,
        },
        context: () => Promise.resolve(context),
      }),
    );
    for (const [name, value] of result.headers) {
      response.setHeader(name, value);
    }
    response.status(result.status ?? 200);
    if (result.body.kind === 'complete') {
      response.send(result.body.string);
      return;
    }
    for await (const chunk of result.body.asyncIterator) {
      response.write(chunk);
    }
    response.end();
  }

  /**
   * The caller of an HTTP request, admitted as every surface of the gateway admits one: its token
   * verified and not revoked, its address, and `operations` spent from its rate limit. Throws the
   * coded error to answer with.
   */
  async admit(request: EdgeRequest, requestId: string, operations = 1): Promise<GatewayContext> {
    const principal = await this.auth.authenticate(request.headers.authorization);
    const clientAddress = await this.clientAddressOf(request);
    await this.rateLimits.spend(principal, clientAddress, operations);
    return this.contextFor(requestId, principal, clientAddress);
  }

  /**
   * One operation of another surface of the gateway (REST) against the supergraph, through the
   * same pipeline as /graphql: document limits, query lane, and errors shaped for clients.
   */
  async execute(
    context: GatewayContext,
    operation: { query: string; variables: Record<string, unknown> },
  ): Promise<OperationResult> {
    const server = this.server;
    if (!server) {
      throw new AppError(
        ErrorCode.INTERNAL_ERROR,
        'The graph is not available yet; try again shortly.',
      );
    }
    const response = await runInRequestScope(context.requestId, () =>
      server.executeOperation(operation, { contextValue: context }),
    );
    if (response.body.kind !== 'single') {
      throw new Error('an operation of the REST surface answered incrementally');
    }
    const { data, errors } = response.body.singleResult;
    return {
      data: data ?? null,
      // formatError has made every one of them public (toPublicGraphQLError).
      errors: (errors ?? []) as PublicGraphQLError[],
    };
  }

  /**
   * The browser's address when the web server vouches for it with a valid signature, else the
   * peer's (or, with TRUST_PROXY_HOPS, the ingress's word for it). A direct caller's claim, forged
   * or expired, counts for nothing: it is served as the address it connects from.
   */
  private async clientAddressOf(request: EdgeRequest): Promise<string> {
    const vouched = request.headers[CLIENT_ADDRESS_HEADER];
    const secret = this.options.clientAddressSecret;
    if (secret !== undefined && typeof vouched === 'string') {
      const address = await verifyClientAddress(vouched, secret.reveal()).catch(() => undefined);
      if (address !== undefined) {
        return address;
      }
    }
    return request.ip ?? 'unknown';
  }

  private contextFor(
    requestId: string,
    principal: GatewayContext['principal'],
    clientAddress: string,
  ): GatewayContext {
    return {
      requestId,
      clientAddress,
      principal,
      principalHeader: () => (principal ? this.signedHeader(principal) : Promise.resolve(null)),
    };
  }

  /**
   * The principal header, signed once per principal every half of its 60 s lifetime: a busy caller
   * does not cost a signature per request. The request id travels in x-request-id.
   */
  private signedHeader(principal: Principal): Promise<string> {
    const key = JSON.stringify(principal);
    let signed = this.signedHeaders.get(key);
    if (signed === undefined) {
      signed = signPrincipalHeader(principal, this.options.internalAuthSecret.reveal());
      this.signedHeaders.set(key, signed);
      // A failed signature is not kept.
      signed.catch(() => this.signedHeaders.delete(key));
    }
    return signed;
  }

  private reject(response: Response, requestId: string, error: unknown): void {
    const result = edgeError(error, requestId);
    const retryAfter = error instanceof AppError ? error.details.retryAfterSeconds : undefined;
    if (typeof retryAfter === 'number') {
      response.setHeader('retry-after', String(retryAfter));
    }
    if (result.internal) {
      this.logger.error({ err: error, requestId }, 'unexpected error at the GraphQL edge');
    }
    response.status(result.status).json({ errors: [result.error] });
  }

  private createServer(supergraphSdl: string): ApolloServer<GatewayContext> {
    const { production, subgraphUrls, limits } = this.options;
    const logger = this.apolloLogger();
    const gateway = new ApolloGateway({
      supergraphSdl,
      logger,
      buildService: ({ name }) => {
        const url = subgraphUrls[name];
        if (url === undefined) {
          throw new Error(`subgraph "${name}" is in the supergraph but has no URL configured`);
        }
        return new SubgraphDataSource(
          name,
          url,
          subgraphFetcher(this.subgraphPool),
          ({ subgraph, requestId, error }) =>
            this.logger.warn({ err: error, subgraph, requestId }, 'subgraph fetch failed'),
          this.options.internalAuthSecret,
        );
      },
    });
    return new ApolloServer<GatewayContext>({
      gateway,
      logger,
      nodeEnv: production ? 'production' : 'development',
      introspection: !production,
      hideSchemaDetailsFromClientErrors: production,
      includeStacktraceInErrorResponses: false,
      // Batches are bounded in `handle` before Apollo parses a single operation.
      allowBatchedHttpRequests: true,
      parseOptions: { maxTokens: limits.maxTokens },
      validationRules: queryLimitRules(limits),
      // Nest owns the process signals and stops the server through onApplicationShutdown.
      stopOnTerminationSignals: false,
      plugins: [
        operationResolution,
        queryLanePlugin(new QueryLane(this.options.queryConcurrency), codedGraphQLError),
        production
          ? ApolloServerPluginLandingPageDisabled()
          : ApolloServerPluginLandingPageLocalDefault({ footer: false }),
      ],
      formatError: (formatted, error) => {
        const requestId = currentRequestId();
        const result = toPublicGraphQLError(formatted, requestId);
        if (result.internal) {
          this.logger.error(
            { err: unwrapResolverError(error), requestId, path: formatted.path },
            'unexpected GraphQL error',
          );
        }
        return result.error;
      },
    });
  }

  private apolloLogger(): ApolloLogger {
    const log = this.logger;
    return {
      debug: (message: unknown) => log.debug(String(message)),
      info: (message: unknown) => log.info(String(message)),
      warn: (message: unknown) => log.warn(String(message)),
      error: (message: unknown) => log.error(String(message)),
    };
  }
}
