// One GraphQL request to the gateway over HTTP, as every benchmark's clients send it.

export class GraphQLFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
  ) {
    super(`${code}: ${message}`);
  }
}

type Body<T> = {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; retryable?: boolean; requestId?: string };
  }[];
};

/** The data of one GraphQL request to the gateway, or a GraphQLFailure with its code. */
export async function graphql<T>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Body<T>;
  const error = body.errors?.[0];
  if (error || !body.data) {
    throw new GraphQLFailure(
      error?.extensions?.code ?? `HTTP_${response.status}`,
      `${error?.message ?? 'no data'}${error?.extensions?.requestId ? ` [request ${error.extensions.requestId}]` : ''}`,
      error?.extensions?.retryable === true,
    );
  }
  return body.data;
}
