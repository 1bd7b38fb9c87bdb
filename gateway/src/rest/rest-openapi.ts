import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { ErrorCode, httpStatusOf } from '@mission-control/errors';
import { COMMON_ERRORS, REST_BASE_PATH, type RestRoute } from './rest-route';
import { restRoutes } from './rest.routes';
import { ErrorBody, IdempotencyHeaders } from './rest-schemas';

const errorMeaning: Record<ErrorCode, string> = {
  VALIDATION_ERROR: 'The input is wrong; the message and `details.field` name the field.',
  UNAUTHENTICATED: 'No token, an expired or revoked one, or a bad key.',
  FORBIDDEN: 'The role or the workspace does not allow it.',
  NOT_FOUND: 'No such record in this workspace (those of other workspaces look the same).',
  CONFLICT: 'Someone changed it first, or its state does not allow it.',
  LIMIT_EXCEEDED: 'A rate limit or a budget; when retryable, Retry-After says when to try again.',
  INTERNAL_ERROR: 'Our fault; quote the request id.',
};

const requestIdHeader = {
  'x-request-id': {
    description: 'This request’s id (the caller’s, when it sent a well-formed one).',
    schema: { type: 'string' as const },
  },
};

/** One response per HTTP status: codes that share a status (none today) share a description. */
function errorResponses(route: RestRoute): Record<number, ResponseConfig> {
  const codes = [...new Set([...COMMON_ERRORS, ...route.errors])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, sameStatus]) => [
      status,
      {
        description: sameStatus.map((code) => `${code}: ${errorMeaning[code]}`).join(' '),
        headers: {
          ...requestIdHeader,
          ...(sameStatus.includes(ErrorCode.LIMIT_EXCEEDED)
            ? {
                'retry-after': {
                  description: 'Seconds to wait, when waiting can help.',
                  schema: { type: 'integer' as const },
                },
              }
            : {}),
        },
        content: { 'application/json': { schema: ErrorBody } },
      },
    ]),
  );
}

/**
 * The OpenAPI 3.1 document of REST v1, made from the route table: the paths, the schemas their
 * requests are validated with, and what they answer.
 */
export function restOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access token: a person’s (logIn), or one traded for an agent key or an API key with ' +
      '/auth/agent-token or /auth/api-key-token. It lasts 15 minutes.',
  });
  for (const route of Object.values(restRoutes)) {
    const { params, query, body } = route.request;
    registry.registerPath({
      operationId: route.operationId,
      method: route.method,
      path: route.path,
      tags: [route.tag],
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      security: route.authenticated ? [{ [bearer.name]: [] }] : [],
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(route.idempotent ? { headers: IdempotencyHeaders } : {}),
        ...(body
          ? { body: { required: true, content: { 'application/json': { schema: body } } } }
          : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          headers: requestIdHeader,
          content: { 'application/json': { schema: route.response.schema } },
        },
        ...errorResponses(route),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Mission Control REST API',
      version: '1.0.0',
      description:
        'REST v1 for agents and scripts: each route runs one operation of the GraphQL API, with ' +
        'the same tokens, limits, coded errors and request ids. Errors answer ' +
        '`{ "error": { "code", "message", "requestId", "retryable", "details" } }` with the ' +
        'HTTP status of their code.',
    },
    servers: [{ url: REST_BASE_PATH }],
    tags: [
      { name: 'Auth', description: 'Keys traded for access tokens' },
      { name: 'Agents', description: 'Who is calling, the roster, heartbeats' },
      { name: 'Missions', description: 'The board, and the work loop’s claims and leases' },
      { name: 'Runs', description: 'A run’s log, usage, progress and outcome' },
    ],
  });
}
