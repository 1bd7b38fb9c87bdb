import type { Server as HttpServer } from 'node:http';
import {
  GraphQLError,
  GraphQLID,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  GraphQLBoolean,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Principal, VerifiedAccess } from '@mission-control/auth';
import { AppError } from '@mission-control/errors';
import type { Revocations } from '../auth/revocations';
import type { LiveFeed } from './live-feed';
import { canSee, isWatchedOnly, type LiveEvent } from './live-event';
import { expiryOf, type LiveAuthenticate } from './live-socket.server';

type Context = { principal: Principal };

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'An event payload in protobuf JSON form.',
  serialize: (value) => value,
});

const LiveEventType = new GraphQLObjectType<LiveEvent>({
  name: 'LiveEvent',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLID) },
    type: { type: new GraphQLNonNull(GraphQLString), description: 'e.g. mission.v1.MissionMoved' },
    subject: {
      type: new GraphQLNonNull(GraphQLString),
      description: 'The stream: a mission, an agent…',
    },
    workspaceId: { type: new GraphQLNonNull(GraphQLID) },
    time: { type: new GraphQLNonNull(GraphQLString) },
    actor: { type: new GraphQLNonNull(GraphQLString) },
    data: { type: JSONScalar },
    position: {
      type: new GraphQLNonNull(GraphQLString),
      description: 'Pass as `after` when subscribing again to receive what was missed.',
    },
  },
});

const after = {
  type: GraphQLString,
  description: 'The position of the last event received: replays what came after it.',
};

/** A subscription field over the live feed, narrowed by `matches`. */
function liveField(
  feed: LiveFeed,
  description: string,
  args: Record<
    string,
    { type: GraphQLScalarType | GraphQLNonNull<GraphQLScalarType>; description?: string }
  >,
  matches: (event: LiveEvent, args: Record<string, string | undefined>) => boolean,
) {
  return {
    type: new GraphQLNonNull(LiveEventType),
    description,
    args: { ...args, after },
    subscribe: (_root: unknown, input: Record<string, string | undefined>, context: Context) => {
      try {
        return feed.subscribe(
          (event) => canSee(context.principal, event) && matches(event, input),
          input.after ?? undefined,
        );
      } catch (error) {
        throw toGraphQLError(error);
      }
    },
    resolve: (event: LiveEvent) => event,
  };
}

export function liveSchema(feed: LiveFeed): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: { live: { type: GraphQLBoolean, resolve: () => true } },
    }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: {
        activity: liveField(
          feed,
          'Everything that happens in your workspace (runs’ log lines: see runLog).',
          {},
          (event) => !isWatchedOnly(event.type),
        ),
        // One board per workspace until projects arrive: its id is the workspace id.
        missionChanged: liveField(
          feed,
          'Missions on a board: created, moved, assigned, commented; runs started and ended.',
          { boardId: { type: new GraphQLNonNull(GraphQLID) } },
          (event, input) =>
            event.type.startsWith('mission.') &&
            !isWatchedOnly(event.type) &&
            event.workspaceId === input.boardId,
        ),
        runLog: liveField(
          feed,
          'One run as it goes: its log lines (mission.v1.RunLogAppended), usage and end. For ' +
            'lines from before the subscription, read run { log(after) }.',
          { runId: { type: new GraphQLNonNull(GraphQLID) } },
          (event, input) => event.subject === `run-${input.runId}`,
        ),
        agentStatusChanged: liveField(
          feed,
          'Agents going idle, busy, offline.',
          {},
          (event) => event.type === 'agent.v1.AgentStatusChanged',
        ),
      },
    }),
  });
}

/**
 * GraphQL subscriptions over graphql-ws at `/graphql` (queries and mutations stay on HTTP POST,
 * through the federated gateway). The access token comes as `connectionParams.authorization`;
 * without a valid one the socket closes with 4403.
 */
export class LiveSubscriptionServer {
  private wss: WebSocketServer | undefined;
  private dispose: (() => Promise<void>) | undefined;
  /** Open connections and the access each was granted, re-checked when access is taken away. */
  private readonly open = new Map<{ close(code: number, reason: string): void }, VerifiedAccess>();

  constructor(
    private readonly feed: LiveFeed,
    private readonly authenticate: LiveAuthenticate,
    private readonly revocations: Revocations,
  ) {}

  attach(httpServer: HttpServer, path = '/graphql'): void {
    const wss = new WebSocketServer({ noServer: true });
    httpServer.on('upgrade', (request, socket, head) => {
      if (new URL(request.url ?? '/', 'http://gateway').pathname === path) {
        wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
      }
    });
    const principals = new WeakMap<object, Principal>();
    const server = useServer<Record<string, unknown> | undefined>(
      {
        schema: liveSchema(this.feed),
        onConnect: async (ctx) => {
          const authorization = ctx.connectionParams?.authorization;
          try {
            const access = await this.authenticate(
              typeof authorization === 'string' ? authorization : undefined,
            );
            if (!access || access.principal.workspaceId === null) {
              return false;
            }
            principals.set(ctx, access.principal);
            const { socket } = ctx.extra;
            this.open.set(socket, access);
            socket.once('close', () => this.open.delete(socket));
            const expiresAt = expiryOf(String(authorization).replace(/^Bearer\s+/i, ''));
            if (expiresAt !== undefined) {
              // The subscriber re-authenticates with a fresh token and its last position.
              const expiry = setTimeout(
                () => ctx.extra.socket.close(4401, 'Access token expired'),
                Math.max(0, expiresAt - Date.now()),
              );
              ctx.extra.socket.once('close', () => clearTimeout(expiry));
            }
            return true;
          } catch {
            return false;
          }
        },
        context: (ctx) => ({ principal: principals.get(ctx) }),
      },
      wss,
    );
    const stopWatching = this.revocations.onRevoke(() => {
      for (const [socket, access] of this.open) {
        if (this.revocations.problem(access) !== undefined) {
          // 4403 Forbidden, as for a connection refused at the start: reconnect with a fresh token.
          socket.close(4403, 'Access revoked');
        }
      }
    });
    this.wss = wss;
    this.dispose = async () => {
      stopWatching();
      await server.dispose();
    };
  }

  async close(): Promise<void> {
    await this.dispose?.();
    this.wss?.close();
    this.wss = undefined;
  }
}

function toGraphQLError(error: unknown): GraphQLError {
  if (error instanceof AppError) {
    return new GraphQLError(error.message, {
      extensions: { code: error.code, retryable: error.retryable, ...error.details },
    });
  }
  return new GraphQLError('Something went wrong', {
    extensions: { code: 'INTERNAL_ERROR', retryable: true },
  });
}
