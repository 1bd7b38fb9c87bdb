import path from 'node:path';
import { REPO_ROOT } from './paths';

/** Each deployable with its config schema (the module and export its main.ts validates with). */
export const APPS = {
  identity: {
    port: 4001,
    module: 'services/identity/src/identity.config',
    schema: 'identityConfigSchema',
  },
  agent: { port: 4002, module: 'services/agent/src/agent.config', schema: 'agentConfigSchema' },
  mission: {
    port: 4003,
    module: 'services/mission/src/mission.config',
    schema: 'missionConfigSchema',
  },
  integration: {
    port: 4004,
    module: 'services/integration/src/integration.config',
    schema: 'integrationConfigSchema',
  },
  analytics: {
    port: 4005,
    module: 'services/analytics/src/analytics.config',
    schema: 'analyticsConfigSchema',
  },
  gateway: { port: 4000, module: 'gateway/src/gateway.config', schema: 'gatewayConfigSchema' },
  web: { port: 3000, module: 'web/src/lib/config/runtime-config', schema: 'parseRuntimeConfig' },
} as const;
export type AppName = keyof typeof APPS;
export const APP_NAMES = Object.keys(APPS) as AppName[];
export const SERVICE_NAMES = ['identity', 'agent', 'mission', 'integration', 'analytics'] as const;

type Issue = { path: PropertyKey[]; message: string };
type ZodLike = {
  safeParse(
    env: Record<string, string | undefined>,
  ):
    | { success: true; data: Record<string, unknown> }
    | { success: false; error: { issues: Issue[] } };
};

/** The port variable each app listens on (web: Next.js standalone reads PORT). */
export const portKey = (app: AppName) => (app === 'web' ? 'PORT' : `${app.toUpperCase()}_PORT`);

// Browser-facing settings may name localhost (compose, port-forwards); nothing else may.
const PUBLIC_KEYS = ['CORS_ORIGINS', 'publicGatewayUrl'];

/**
 * Validates an app's environment with the app's own schema (its sources, loaded at test time so
 * this follows the code), then checks nothing server-to-server fell back to a localhost default,
 * i.e. every engine and peer was wired. Returns the problems, empty when the wiring is complete.
 */
export async function checkAppEnv(app: AppName, env: Record<string, string>): Promise<string[]> {
  const spec = APPS[app];
  const cleaned = Object.fromEntries(
    Object.entries(env).map(([key, value]) => [key, value === '' ? undefined : value]),
  );
  const loaded = (await import(path.join(REPO_ROOT, spec.module))) as Record<string, unknown>;
  let config: Record<string, unknown>;
  if (app === 'web') {
    const parse = loaded[spec.schema] as (e: typeof cleaned) => Record<string, unknown>;
    try {
      config = { ...parse(cleaned) };
    } catch (error) {
      return [`web: ${(error as Error).message}`];
    }
  } else {
    const result = (loaded[spec.schema] as ZodLike).safeParse(cleaned);
    if (!result.success) {
      return result.error.issues.map(
        (issue) => `${app}: ${issue.path.map(String).join('.')}: ${issue.message}`,
      );
    }
    config = { ...result.data };
  }
  for (const key of PUBLIC_KEYS) {
    delete config[key];
  }
  const text = JSON.stringify(config);
  return /127\.0\.0\.1|localhost|\[::1\]/.test(text)
    ? [`${app}: something falls back to a local default: ${text}`]
    : [];
}
