import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, Kind, print } from 'graphql';
import { type GraphQLErrorBody, MissionControlError } from '../errors/mission-control.error';

export type FetchLike = typeof fetch;

export type GraphQLRequest<TVariables> = {
  variables: TVariables;
  token?: string | null;
  signal?: AbortSignal;
};

type GraphQLBody = { data?: unknown; errors?: GraphQLErrorBody[] };

// Documents are constants: print each once.
const printed = new WeakMap<DocumentNode, { query: string; operationName: string | undefined }>();

function source(document: DocumentNode) {
  let cached = printed.get(document);
  if (!cached) {
    const operation = document.definitions.find(
      (definition) => definition.kind === Kind.OPERATION_DEFINITION,
    );
    cached = { query: print(document), operationName: operation?.name?.value };
    printed.set(document, cached);
  }
  return cached;
}

/** GraphQL over HTTP to the gateway: the data, or a MissionControlError. */
export class GraphQLTransport {
  readonly endpoint: string;

  constructor(
    baseUrl: string,
    private readonly fetchImpl: FetchLike = fetch,
    private readonly userAgent?: string,
  ) {
    this.endpoint = new URL('/graphql', baseUrl).toString();
  }

  async execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    request: GraphQLRequest<TVariables>,
  ): Promise<TResult> {
    const { query, operationName } = source(document);
    let response: Response;
    let body: GraphQLBody | null;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
          ...(this.userAgent ? { 'user-agent': this.userAgent } : {}),
        },
        body: JSON.stringify({ query, operationName, variables: request.variables }),
        signal: request.signal,
      });
      body = await response.json().then(
        (json: unknown) =>
          typeof json === 'object' && json !== null ? (json as GraphQLBody) : null,
        () => null,
      );
    } catch (error) {
      if (request.signal?.aborted) {
        throw request.signal.reason;
      }
      throw MissionControlError.network(error);
    }
    const requestId = response.headers.get('x-request-id');
    const first = body?.errors?.[0];
    if (first) {
      throw MissionControlError.fromGraphQLError(first, requestId);
    }
    if (!response.ok || body?.data === undefined || body.data === null) {
      throw MissionControlError.fromHttpStatus(
        response.ok ? 502 : response.status,
        requestId,
        response.headers.get('retry-after'),
      );
    }
    return body.data as TResult;
  }
}
