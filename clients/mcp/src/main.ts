#!/usr/bin/env node
// mission-control-mcp: Mission Control's MCP server over stdio, for Claude Code, Codex and any
// MCP client (docs/agents.md). MC_GATEWAY_URL and MC_AGENT_KEY (or MC_TOKEN) say where and who.
import { serveStdio } from './stdio/serve-stdio';
import { StdioConfigError, stdioConfigOf } from './stdio/stdio-config';

async function main(): Promise<void> {
  const serving = await serveStdio(stdioConfigOf(process.env));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void serving.close().then(() => process.exit(0)));
  }
  // A request still retrying (the gateway unreachable) must not keep a finished session alive.
  await serving.closed;
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(
    error instanceof StdioConfigError
      ? `${error.message}\n`
      : `mission-control-mcp: ${String(error)}\n`,
  );
  process.exit(1);
});
