import { type ArgumentsHost, Catch, HttpException } from '@nestjs/common';
import { HttpErrorFilter } from '@mission-control/platform';

type ClientHttpError = Error & { status: number; expose: true };

// Errors of the `http-errors` kind (body-parser's too-large, bad charset…) mark client faults
// with a 4xx status and `expose`; their messages are written for the client.
const isClientHttpError = (error: unknown): error is ClientHttpError =>
  error instanceof Error &&
  'status' in error &&
  typeof error.status === 'number' &&
  error.status >= 400 &&
  error.status < 500 &&
  'expose' in error &&
  error.expose === true;

/**
 * The JSON body parser rejects an oversized or unreadable body before any route runs; without this
 * the shared filter would see an unknown error and answer 500. Registered after the platform's
 * filter, so Nest asks it first; everything else goes through the platform's mapping unchanged.
 */
@Catch()
export class BodyErrorFilter extends HttpErrorFilter {
  override catch(exception: unknown, host: ArgumentsHost): void {
    super.catch(
      isClientHttpError(exception)
        ? new HttpException(exception.message, exception.status)
        : exception,
      host,
    );
  }
}
