export type GraphQLError = {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; requestId?: string; retryable?: boolean };
};
export type GraphQLResult<T = Record<string, unknown>> = {
  data?: T | null;
  errors?: GraphQLError[];
};

/** GraphQL over HTTP against the gateway, as an integrator or the web app calls it. */
export class GraphClient {
  constructor(private readonly gatewayUrl: string) {}

  async request<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<GraphQLResult<T>> {
    const response = await fetch(`${this.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as GraphQLResult<T>;
  }

  /** The data, or a thrown error naming the GraphQL errors. */
  async ok<T = Record<string, unknown>>(
    query: string,
    variables: Record<string, unknown> = {},
    token?: string,
  ): Promise<T> {
    const result = await this.request<T>(query, variables, token);
    if (result.errors?.length || !result.data) {
      throw new Error(`GraphQL failed: ${JSON.stringify(result.errors)} for ${query}`);
    }
    return result.data;
  }
}
