import { Injectable } from '@nestjs/common';
import { AppError } from '@mission-control/errors';
import { requestIdOf } from '@mission-control/platform';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { SupergraphServer } from '../graphql/supergraph-server';
import {
  parseRestInput,
  type RestError,
  restErrorOfGraphql,
  restErrorOfThrown,
} from './rest-mapping';
import type { RestRoute } from './rest-route';

type EdgeRequest = Request & { id?: unknown };

/**
 * Serves a REST v1 route as a GraphQL operation of the supergraph, through the gateway's own edge:
 * the same token checks, rate limits and request id as /graphql, and the graph's coded errors
 * with the HTTP status of their code.
 */
@Injectable()
export class RestService {
  constructor(
    private readonly supergraph: SupergraphServer,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RestService.name);
  }

  async serve(route: RestRoute, request: EdgeRequest, response: Response): Promise<void> {
    const requestId =
      typeof request.id === 'string' || typeof request.id === 'number'
        ? String(request.id)
        : requestIdOf(request, response);
    // Answers speak for one caller (tokens, a run's log): no cache keeps them.
    response.setHeader('cache-control', 'no-store');
    try {
      // The caller first: a request without a valid token learns that before its input is read.
      const context = await this.supergraph.admit(request, requestId);
      if (route.authenticated && context.principal === null) {
        throw AppError.unauthenticated('Send "Authorization: Bearer <access token>"');
      }
      const input = parseRestInput(route, request);
      const operation = route.operation(input, context.principal);
      const result = operation
        ? await this.supergraph.execute(context, operation)
        : { data: null, errors: [] };
      const [first] = result.errors;
      if (first) {
        return this.answerError(response, restErrorOfGraphql(first));
      }
      response.status(route.response.status).json(route.respond(result.data, context.principal));
    } catch (error) {
      const answer = restErrorOfThrown(error, requestId);
      if (answer.internal) {
        this.logger.error({ err: error, requestId }, 'unexpected error at the REST edge');
      }
      this.answerError(response, answer);
    }
  }

  private answerError(response: Response, error: RestError): void {
    if (error.retryAfterSeconds !== undefined) {
      response.setHeader('retry-after', String(error.retryAfterSeconds));
    }
    response.status(error.status).json(error.body);
  }
}
