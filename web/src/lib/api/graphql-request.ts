import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { DocumentNode } from 'graphql';
import { print } from 'graphql/language/printer';
import { ApiError, apiErrorFrom } from './api-error';

const printed = new WeakMap<object, string>();

function queryText(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

export type GraphQLRequestOptions = {
  token?: string | null;
  requestId?: string;
  signal?: AbortSignal;
  /** Extra headers, e.g. the server's signed word for the browser's address. */
  headers?: Record<string, string>;
};

/**
 * One GraphQL operation over HTTP. Resolves with `data` or throws an ApiError: any error in the
 * answer fails the whole operation, since partial screens are harder to reason about than none.
 */
export async function graphqlRequest<Result, Variables>(
  endpoint: string,
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  options: GraphQLRequestOptions = {},
): Promise<Result> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.requestId ? { 'x-request-id': options.requestId } : {}),
        ...options.headers,
      },
      body: JSON.stringify({ query: queryText(document), variables }),
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') {
      throw error;
    }
    throw new ApiError(
      'NETWORK_ERROR',
      'The API could not be reached',
      options.requestId ?? null,
      true,
    );
  }
  const headerRequestId = response.headers.get('x-request-id') ?? options.requestId ?? null;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError('INTERNAL_ERROR', 'Unreadable answer', headerRequestId, true);
  }
  const { data, errors } = (body ?? {}) as { data?: Result | null; errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0) {
    throw apiErrorFrom(errors, headerRequestId);
  }
  if (data === undefined || data === null) {
    throw new ApiError('INTERNAL_ERROR', 'Empty answer', headerRequestId, true);
  }
  return data;
}
