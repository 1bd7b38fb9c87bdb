import { runtimeEnv, type Env } from '@mission-control/config';
import { z } from 'zod';

const flag = (byDefault: '0' | '1') =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no'])
    .default(byDefault)
    .transform((value) => ['1', 'true', 'yes'].includes(value));

/**
 * What a person starting Mission Control on one machine chooses for the launcher itself. The
 * apps' own settings (limits, timings…) pass on to them in `environment`; the engines, the secrets
 * and the services' ports standalone mode decides for them (see apps-env.config.ts).
 */
export const launcherSettingsSchema = runtimeEnv.extend({
  NODE_ENV: runtimeEnv.shape.NODE_ENV.unwrap().default('production'),
  /** Quiet by default: the launcher prints its own progress; services log warnings and errors. */
  LOG_LEVEL: runtimeEnv.shape.LOG_LEVEL.unwrap().default('warn'),
  /** The one port for the web app and the graph (and live push) behind it. */
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  /** Where the database, secrets and demo state live; a restart keeps them. */
  MC_DATA_DIR: z.string().min(1).optional(),
  /** Seeds a demo workspace whose squad of agents runs on an in-process runner (also `--demo`). */
  MC_DEMO: flag('0'),
  /**
   * The demo squad's base tick: its scripted model prints a step every 0.75–2.5 × it and a run
   * takes ~7.5–30 × it, the demo user acts every 1.5–2.5 × it, and the demo's budget stops its
   * agent within a few minutes at the default 4 s (sooner when faster).
   */
  MC_DEMO_PACE_MS: z.coerce.number().int().min(100).max(60_000).default(4_000),
  /**
   * The services in a second thread of the process, the gateway and web app in the first: on two
   * cores or more, each has one (more requests a second, more memory). 0 runs all in one thread.
   */
  MC_SERVICES_THREAD: flag('1'),
});

export const standaloneConfigSchema = launcherSettingsSchema.loose().transform((env) => {
  const settings: Record<string, unknown> = {};
  /** The rest of the environment, for the apps' own schemas to validate at their boot. */
  const environment: Env = {};
  for (const [key, value] of Object.entries(env)) {
    if (key in launcherSettingsSchema.shape) {
      settings[key] = value;
    } else {
      environment[key] = value as string | undefined;
    }
  }
  return { ...(settings as z.output<typeof launcherSettingsSchema>), environment };
});

export type StandaloneConfig = z.output<typeof standaloneConfigSchema>;

/** `npm start -- --demo` and `--port 3100` are the same as MC_DEMO=1 and PORT=3100. */
export function envWithArguments(
  argv: readonly string[],
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  const merged = { ...env };
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index]!;
    const [name, inline] = argument.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++index];
    switch (name) {
      case '--demo':
        merged.MC_DEMO = '1';
        break;
      case '--port':
        merged.PORT = value();
        break;
      case '--data-dir':
        merged.MC_DATA_DIR = value();
        break;
      default:
        throw new Error(
          `unknown option "${argument}" (expected --demo, --port <port>, --data-dir <folder>)`,
        );
    }
  }
  return merged;
}
