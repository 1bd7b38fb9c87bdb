import { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { EDGE_PROOF_HEADER, PRINCIPAL_HEADER, signEdgeProof } from '@mission-control/auth';
import type { Secret } from '@mission-control/config';
import { ErrorCode } from '@mission-control/errors';
import { GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from './gateway-context';
import { subgraphUnavailable } from './graphql-errors';
import type { Fetcher, FetcherResponse } from './subgraph-fetcher';

export type SubgraphFailureLog = (failure: {
  subgraph: string;
  requestId?: string;
  error: unknown;
}) => void;

const errorCodes = new Set<string>(Object.values(ErrorCode));

const coded = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError &&
  typeof error.extensions.code === 'string' &&
  errorCodes.has(error.extensions.code);

/**
 * One subgraph behind the gateway. Only the gateway speaks for the caller: each fetch carries the
 * gateway's signed edge proof (request id and client address; subgraphs refuse /graphql without
 * it) and the verified principal, both signed with the internal secret, never a client's header.
 */
export class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  /**
   * Edge proofs by client address, each reused for half of its 60 s life: a busy client does not
   * cost a signature per request (nor a verification, which subgraphs cache likewise).
   */
  private readonly edgeProofs = new LRUCache<string, Promise<string>>({ max: 10_000, ttl: 30_000 });

  constructor(
    readonly subgraph: string,
    url: string,
    fetcher: Fetcher,
    private readonly logFailure: SubgraphFailureLog,
    private readonly internalSecret: Secret,
  ) {
    super({ url, fetcher });
  }

  override async willSendRequest(
    options: GraphQLDataSourceProcessOptions<GatewayContext>,
  ): Promise<void> {
    const headers = options.request.http?.headers;
    if (!headers) {
      return;
    }
    headers.delete(PRINCIPAL_HEADER);
    // Subgraphs take the client's address from the edge proof only; nothing else is forwarded.
    headers.delete('x-forwarded-for');
    // Health checks and schema loads have no caller to speak for, but still prove their origin.
    if (!('incomingRequestContext' in options)) {
      headers.set(EDGE_PROOF_HEADER, await this.edgeProofFor(undefined));
      return;
    }
    const context = options.context;
    headers.set('x-request-id', context.requestId);
    headers.set(EDGE_PROOF_HEADER, await this.edgeProofFor(context.clientAddress));
    const principal = await context.principalHeader();
    if (principal !== null) {
      headers.set(PRINCIPAL_HEADER, principal);
    }
  }

  private edgeProofFor(clientAddress: string | undefined): Promise<string> {
    const key = clientAddress ?? '';
    let proof = this.edgeProofs.get(key);
    if (proof === undefined) {
      proof = signEdgeProof(
        clientAddress === undefined ? {} : { clientAddress },
        this.internalSecret.reveal(),
      );
      this.edgeProofs.set(key, proof);
      // A failed signature is not kept.
      proof.catch(() => this.edgeProofs.delete(key));
    }
    return proof;
  }

  /**
   * A subgraph that answers an HTTP error with a coded GraphQL body (its own UNAUTHENTICATED,
   * VALIDATION_ERROR…) keeps that code; anything else is reported as unavailable, body not echoed.
   */
  override async errorFromResponse(response: FetcherResponse): Promise<GraphQLError> {
    const body: unknown = await this.parseBody(response).catch(() => undefined);
    const first =
      typeof body === 'object' && body !== null && 'errors' in body && Array.isArray(body.errors)
        ? (body.errors[0] as unknown)
        : undefined;
    if (typeof first === 'object' && first !== null && 'message' in first) {
      const { message, extensions } = first as { message: unknown; extensions?: unknown };
      const error = new GraphQLError(String(message), {
        extensions:
          typeof extensions === 'object' && extensions !== null
            ? (extensions as Record<string, unknown>)
            : {},
      });
      if (coded(error)) {
        return error;
      }
    }
    return new GraphQLError(`Subgraph answered HTTP ${response.status}`, {
      extensions: { subgraphStatus: response.status },
    });
  }

  /** Network failures and uncoded answers: logged with the cause, shown as retryable. */
  override didEncounterError(
    error: Error,
    _request: unknown,
    _response?: unknown,
    context?: GatewayContext,
  ): void {
    if (coded(error)) {
      throw error;
    }
    this.logFailure({ subgraph: this.subgraph, requestId: context?.requestId, error });
    throw subgraphUnavailable();
  }
}
