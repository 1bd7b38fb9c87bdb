import { Logger } from '@nestjs/common';

type Log = (fields: Record<string, unknown>, message: string) => void;

/**
 * A `(fields, message)` logger over Nest's logger for `context`, the shape libraries such as
 * libs/eventing log through, so their lines carry the service's name and format.
 */
export function nestFieldsLogger(context: string): { info: Log; warn: Log; error: Log } {
  const logger = new Logger(context);
  return {
    info: (fields, message) => logger.log(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}
