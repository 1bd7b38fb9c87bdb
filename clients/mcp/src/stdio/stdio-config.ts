import { z } from 'zod';

/** `mission-control-mcp` is configured by its environment, as MCP clients launch servers. */
const StdioEnv = z
  .object({
    MC_GATEWAY_URL: z.url().describe('the gateway, e.g. http://127.0.0.1:4000'),
    MC_AGENT_KEY: z.string().trim().min(1).optional(),
    MC_TOKEN: z.string().trim().min(1).optional(),
    MC_RUN_ADAPTER: z.string().trim().min(1).optional(),
    MC_RUN_MODEL: z.string().trim().min(1).optional(),
    MC_RUN_PROVIDER: z.string().trim().min(1).optional(),
    MC_HEARTBEAT_SECONDS: z.coerce.number().int().min(10).max(3600).default(30),
  })
  .refine((env) => (env.MC_AGENT_KEY === undefined) !== (env.MC_TOKEN === undefined), {
    message: 'set one of MC_AGENT_KEY (an agent key) or MC_TOKEN (an access token)',
    path: ['MC_AGENT_KEY'],
  });

export type StdioConfig = {
  url: string;
  credentials: { agentKey: string } | { token: string };
  runDefaults: { adapter?: string; model?: string; provider?: string };
  heartbeatMs: number;
};

export class StdioConfigError extends Error {
  override readonly name = 'StdioConfigError';
}

/** The configuration, or a StdioConfigError naming every bad variable (never their values). */
export function stdioConfigOf(env: NodeJS.ProcessEnv): StdioConfig {
  const parsed = StdioEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`,
    );
    throw new StdioConfigError(`mission-control-mcp: ${problems.join('; ')}`);
  }
  const config = parsed.data;
  return {
    url: config.MC_GATEWAY_URL,
    credentials: config.MC_AGENT_KEY
      ? { agentKey: config.MC_AGENT_KEY }
      : { token: config.MC_TOKEN ?? '' },
    runDefaults: {
      adapter: config.MC_RUN_ADAPTER,
      model: config.MC_RUN_MODEL,
      provider: config.MC_RUN_PROVIDER,
    },
    heartbeatMs: config.MC_HEARTBEAT_SECONDS * 1000,
  };
}
