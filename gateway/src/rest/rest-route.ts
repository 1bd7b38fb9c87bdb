import type { Principal } from '@mission-control/auth';
import { ErrorCode } from '@mission-control/errors';
import type { z } from 'zod';

/** Where REST v1 is served. */
export const REST_BASE_PATH = '/api/v1';

type AnyObject = z.ZodObject;

/** A GraphQL operation of the supergraph, with its variables. */
export type GraphqlOperation = { query: string; variables: Record<string, unknown> };

/** What a route's request carries once its schemas have read it. */
export type RestInput<
  P extends AnyObject | undefined,
  Q extends AnyObject | undefined,
  B extends z.ZodType | undefined,
> = {
  params: P extends AnyObject ? z.output<P> : Record<string, never>;
  query: Q extends AnyObject ? z.output<Q> : Record<string, never>;
  body: B extends z.ZodType ? z.output<B> : undefined;
  /** From the Idempotency-Key header, for the routes that take one. */
  idempotencyKey: string | undefined;
};

/**
 * One route of REST v1: its place, the schemas its request is validated with and that document
 * it, and the GraphQL operation it runs. A route holds no rule of its own: what it may do and
 * what it answers are the graph's.
 */
export type RestRoute<
  P extends AnyObject | undefined = AnyObject | undefined,
  Q extends AnyObject | undefined = AnyObject | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
> = {
  operationId: string;
  method: 'get' | 'post';
  /** OpenAPI style, under /api/v1: `/workspaces/{workspaceId}/missions`. */
  path: string;
  tag: 'Auth' | 'Agents' | 'Missions' | 'Runs';
  summary: string;
  description?: string;
  /** False for the key exchanges, which are how a token is had. */
  authenticated: boolean;
  /** The route takes an Idempotency-Key header, sent on as the operation's `idempotencyKey`. */
  idempotent: boolean;
  request: { params?: P; query?: Q; body?: B };
  response: { status: 200 | 201; description: string; schema: z.ZodType };
  /** Codes worth documenting beyond those every route may answer. */
  errors: ErrorCode[];
  /** The operation to run; null when the edge alone knows the answer (an API key's whoami). */
  operation: (input: RestInput<P, Q, B>, principal: Principal | null) => GraphqlOperation | null;
  /** The answer's body, from the operation's data. */
  respond: (data: Record<string, unknown> | null, principal: Principal | null) => unknown;
};

/** A route, typed from its schemas. */
export const restRoute = <
  P extends AnyObject | undefined = undefined,
  Q extends AnyObject | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
>(
  route: RestRoute<P, Q, B>,
  // The table holds routes of many shapes; each is checked against its own schemas here.
): RestRoute => route;

/** Every route may answer these. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  ErrorCode.VALIDATION_ERROR,
  ErrorCode.LIMIT_EXCEEDED,
  ErrorCode.INTERNAL_ERROR,
];

/** `/workspaces/{workspaceId}` as Express writes it: `/workspaces/:workspaceId`. */
export const expressPath = (path: string): string => path.replace(/\{(\w+)\}/g, ':$1');
