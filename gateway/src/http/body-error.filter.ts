import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { HttpErrorFilter, requestIdOf } from '@mission-control/platform';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';
import { edgeError } from '../graphql/graphql-errors';
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
 * the middleware go through the platform's mapping unchanged.
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
    const result = edgeError(
      isClientHttpError(exception)
        ? new HttpException(exception.message, exception.status)
        : exception,
      requestId,
    );
    if (result.internal) {
      this.log.error({ err: exception, requestId }, 'unhandled error before routing');
    }
    setNoSniff(response);
    response.status(result.status).json({ errors: [result.error] });
  }
}
