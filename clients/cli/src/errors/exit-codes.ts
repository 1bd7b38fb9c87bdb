import { isMissionControlError, type MissionControlErrorCode } from '@mission-control/sdk';

/** The exit code of each error code (README, "Exit codes"); scripts branch on these. */
export const EXIT_CODES = {
  VALIDATION_ERROR: 2,
  UNAUTHENTICATED: 3,
  FORBIDDEN: 4,
  NOT_FOUND: 5,
  CONFLICT: 6,
  LIMIT_EXCEEDED: 7,
  NETWORK_ERROR: 8,
  INTERNAL_ERROR: 1,
} as const satisfies Record<MissionControlErrorCode, number>;

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
/** A command line commander could not make sense of: the same as a VALIDATION_ERROR. */
export const EXIT_USAGE = EXIT_CODES.VALIDATION_ERROR;

export function exitCodeOf(error: unknown): number {
  return isMissionControlError(error) ? EXIT_CODES[error.code] : EXIT_FAILURE;
}

/** One line for stderr: the code, what went wrong and the request id to quote. */
export function errorLine(error: unknown): string {
  if (isMissionControlError(error)) {
    const message = error.message.replace(/\s*\n\s*/g, ' ');
    return `mc: ${error.code}: ${message}${error.requestId ? ` (request id ${error.requestId})` : ''}`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `mc: ${message.replace(/\s*\n\s*/g, ' ')}`;
}
