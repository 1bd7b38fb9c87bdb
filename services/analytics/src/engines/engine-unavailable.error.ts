import { errors } from '@elastic/elasticsearch';

/**
 * An engine could not be reached. It carries the socket error code (ECONNREFUSED…) that
 * libs/eventing's consumer reads as "not the event's fault": the event is retried until the
 * engine is back instead of being dead-lettered after a few attempts.
 */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';

  constructor(
    readonly engine: 'elasticsearch' | 'influxdb',
    readonly code: string,
    options: { cause: unknown },
  ) {
    super(`${engine} is unavailable (${code})`, options);
  }
}

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

function socketCodeOf(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && SOCKET_CODES.has(code)) {
      return code;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** `error` as an {@link EngineUnavailableError} when it says the engine is unreachable. */
export function engineUnavailable(
  engine: EngineUnavailableError['engine'],
  error: unknown,
): unknown {
  const isElasticsearchOutage =
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError ||
    (error instanceof errors.ResponseError &&
      [429, 502, 503, 504].includes(error.meta.statusCode ?? 0));
  const isInfluxOutage =
    error instanceof Error &&
    (error.name === 'ServiceNotAvailableError' ||
      /No host available|Request timed out/.test(error.message));
  const code = socketCodeOf(error);
  if (code !== undefined || isElasticsearchOutage || isInfluxOutage) {
    return new EngineUnavailableError(engine, code ?? 'ECONNREFUSED', { cause: error });
  }
  return error;
}
