import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** Thrown when the environment does not satisfy an app's schema; names every bad key. */
export class ConfigValidationError extends Error {
  constructor(readonly issues: readonly { key: string; message: string }[]) {
    super(
      `Invalid configuration: ${issues.map((issue) => `${issue.key} (${issue.message})`).join('; ')}`,
    );
    this.name = 'ConfigValidationError';
  }
}

/**
 * Validates the environment once into a typed object. Empty strings count as unset so that a
 * blank line in a .env file falls back to the default instead of failing type coercion.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: Env = process.env): z.output<S> {
  const cleaned: Env = {};
  for (const [key, value] of Object.entries(env)) {
    cleaned[key] = value === '' ? undefined : value;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigValidationError(
      result.error.issues.map((issue) => ({
        key: issue.path.map(String).join('.') || '(root)',
        message: issue.message,
      })),
    );
  }
  return result.data;
}

/**
 * For a process entry point: on bad configuration print the keys and exit, before anything
 * starts listening or connecting.
 */
export function loadConfigOrExit<S extends z.ZodType>(
  appName: string,
  schema: S,
  env: Env = process.env,
): z.output<S> {
  try {
    return loadConfig(schema, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${appName}: ${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}
