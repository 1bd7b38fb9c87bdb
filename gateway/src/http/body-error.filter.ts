import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { HttpErrorFilter, requestIdOf } from '@mission-control/platform';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { toPublicError } from '@mission-control/errors';
import { edgeError } from '../graphql/graphql-errors';
import { REST_BASE_PATH } from '../rest/rest-route';
import { setNoSniff } from './no-sniff.middleware';

type ClientHttpError = Error & { status: number; expose: true };

// Errors of the `http-errors` kind (body-parser's too-large, bad charset…) mark client faults
// with a 4xx status and `expose`; their messages are written for the client. (Nest itself turns
// body-parser's JSON SyntaxError into a BadRequestException.)
const isClientHttpError = (error: unknown): error is ClientHttpError =>
  error instanceof Error &&
  'status' in error &&
  typeof error.status === 'number' &&
  error.status >= 400 &&
  error.status < 500 &&
  'expose' in error &&
  error.expose === true;

/**
 * The JSON body parser rejects an oversized or unreadable body before any route or middleware
 * runs, the request logger that names the request included. Such a request is answered as the
 * graph answers any refused request: GraphQL error shape, a request id made here and its header.
 * Registered after the platform's filter, so Nest asks it first; errors of requests that reached
 * the middleware go through the platform's mapping unchanged. REST v1's requests are answered in
 * its own error body.
 */
@Catch()
export class BodyErrorFilter extends HttpErrorFilter {
  constructor(private readonly log: PinoLogger) {
    super(log);
  }

  override catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: unknown }>();
    if (host.getType() !== 'http' || request.id !== undefined) {
      super.catch(exception, host);
      return;
    }
    const response = http.getResponse<Response>();
    const requestId = requestIdOf(request, response);
    request.id = requestId;
    const error = isClientHttpError(exception)
      ? new HttpException(exception.message, exception.status)
      : exception;
    setNoSniff(response);
    // REST v1 speaks its own error body: { error: { code, message, requestId, … } }.
    if (request.path.startsWith(REST_BASE_PATH)) {
      const rest = toPublicError(error, requestId);
      if (rest.internal) {
        this.log.error({ err: exception, requestId }, 'unhandled error before routing');
      }
      response.status(rest.status).json(rest.body);
      return;
    }
    const result = edgeError(error, requestId);
    if (result.internal) {
      this.log.error({ err: exception, requestId }, 'unhandled error before routing');
    }
    response.status(result.status).json({ errors: [result.error] });
  }
}
