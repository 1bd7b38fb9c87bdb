import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { toPublicError } from '@mission-control/errors';
import type { Request, Response } from 'express';
import { PinoLogger } from 'nestjs-pino';

/** The one place HTTP errors are shaped: coded body, request id, internals only in the log. */
@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    // GraphQL resolvers have no HTTP response to write: their errors go back to the GraphQL
    // server, whose formatError (graphql/graphql-error.formatter.ts) shapes them.
    if (host.getType() !== 'http') {
      throw exception;
    }
    const http = host.switchToHttp();
    const request = http.getRequest<Request & { id?: string | number }>();
    const response = http.getResponse<Response>();
    const requestId = String(request.id ?? response.getHeader('x-request-id') ?? 'unknown');
    const result = toPublicError(exception, requestId);
    if (result.internal) {
      this.logger.error({ err: exception, requestId }, 'unhandled error');
    }
    response.status(result.status).json(result.body);
  }
}
