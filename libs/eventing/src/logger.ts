/** The slice of a pino-style logger the backbone writes to; services pass their own. */
export type EventingLogger = {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
};

const write =
  (level: string) =>
  (fields: Record<string, unknown>, message: string): void => {
    const { err, ...rest } = fields;
    const error = err instanceof Error ? { err: { type: err.name, message: err.message } } : {};
    process.stderr.write(
      `${JSON.stringify({ level, time: Date.now(), msg: message, ...rest, ...error })}\n`,
    );
  };

export const consoleLogger: EventingLogger = {
  info: write('info'),
  warn: write('warn'),
  error: write('error'),
};

export const silentLogger: EventingLogger = { info: () => {}, warn: () => {}, error: () => {} };
