import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  type FetchLike,
  GraphQLTransport,
  MissionControlClient,
  type RetryPolicy,
  withRetries,
} from '@mission-control/sdk';
import { callerOfToken, type MissionControlGraph } from './mission-control-graph';

export type SdkGraphOptions = {
  /** The gateway's origin, e.g. `http://127.0.0.1:4000`. */
  url: string;
  retry?: Partial<RetryPolicy>;
  fetch?: FetchLike;
  userAgent?: string;
} & (
  | {
      /** An agent key (`mca_…`), exchanged for tokens and refreshed by the SDK. */ agentKey: string;
    }
  | { /** An access token, used as it is until it expires. */ token: string }
);

const USER_AGENT = 'mission-control-mcp';

/** The graph over HTTP through the SDK: what `mission-control-mcp` and `mc mcp` run on. */
export function sdkGraph(options: SdkGraphOptions): MissionControlGraph {
  const userAgent = options.userAgent ?? USER_AGENT;
  if ('agentKey' in options) {
    const client = new MissionControlClient({
      url: options.url,
      agentKey: options.agentKey,
      retry: options.retry,
      fetch: options.fetch,
      userAgent,
    });
    return {
      request: (document, variables) => client.request(document, variables),
      caller: async () => callerOfToken(await client.accessToken()),
    };
  }
  const { token } = options;
  const transport = new GraphQLTransport(options.url, options.fetch, userAgent);
  return {
    // Writes carry their idempotency key in the variables: a retry is never done twice.
    request: <TResult, TVariables>(
      document: TypedDocumentNode<TResult, TVariables>,
      variables: TVariables,
    ) =>
      withRetries(() => transport.execute(document, { variables, token }), {
        policy: options.retry ?? {},
      }),
    caller: () => Promise.resolve(callerOfToken(token)),
  };
}
