import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { serveStdio } from '@mission-control/mcp';
import type { CliContext, GlobalOptions } from '../context/cli-context';
import { usageError } from '../errors/usage.error';

type McpOptions = { adapter?: string; model?: string; provider?: string };

// Within what the API takes (6 heartbeats a minute) and well inside AGENT_OFFLINE_AFTER_SECONDS.
const HEARTBEAT_MS = 30_000;

/**
 * `mc mcp`: Mission Control's MCP server over stdio, as the agent (MC_AGENT_KEY, else the key
 * `mc login --agent-key` keeps), for Claude Code, Codex or any MCP client to start. stdout is the
 * protocol's: nothing else is printed there.
 */
export function registerMcpCommands(program: Command, context: CliContext): void {
  program
    .command('mcp')
    .description("serve Mission Control's MCP tools over stdio to an MCP client, as the agent")
    .option('--adapter <name>', 'what runs are recorded as run by (default: mcp)')
    .option('--model <model>', 'the model runs are recorded with, unless a tool call says')
    .option('--provider <provider>', "the model's provider, e.g. anthropic")
    .action(async (options: McpOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = context.store.load();
      const agentKey =
        context.io.env.MC_AGENT_KEY ??
        (config.auth?.kind === 'agent' ? config.auth.agentKey : undefined);
      if (!agentKey) {
        throw usageError(
          'mc mcp serves an agent: set MC_AGENT_KEY, or sign in with `mc login --agent-key`',
        );
      }
      const serving = await serveStdio(
        {
          url: context.gatewayUrl(globals, config),
          credentials: { agentKey },
          runDefaults: {
            adapter: options.adapter,
            model: options.model,
            provider: options.provider,
          },
          heartbeatMs: HEARTBEAT_MS,
        },
        { stdin: context.io.stdin as Readable, stdout: context.io.stdout as Writable },
      );
      await serving.closed;
    });
}
