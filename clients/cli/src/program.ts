import { Command } from 'commander';
import { registerAgentsCommands } from './commands/agents.command';
import { registerAuthCommands } from './commands/auth.command';
import { registerBudgetCommands } from './commands/budget.command';
import { registerMcpCommands } from './commands/mcp.command';
import { registerMissionsCommands } from './commands/missions.command';
import { registerRunnerCommands } from './commands/runner.command';
import { registerRunsCommands } from './commands/runs.command';
import { registerWorkspacesCommands } from './commands/workspaces.command';
import type { CliContext } from './context/cli-context';

export const VERSION = '0.1.0';

/** One registration per command group (src/commands/*.command.ts). */
const COMMAND_GROUPS = [
  registerAuthCommands,
  registerWorkspacesCommands,
  registerMissionsCommands,
  registerAgentsCommands,
  registerRunsCommands,
  registerBudgetCommands,
  registerRunnerCommands,
  registerMcpCommands,
];

export function createProgram(context: CliContext): Command {
  const program = new Command('mc')
    .description('Mission Control at the command line: missions, agents, runs and budgets')
    .version(VERSION)
    .option('--gateway <url>', 'the gateway (default: MC_GATEWAY_URL, else the one signed in to)')
    .option(
      '-w, --workspace <workspace>',
      'act in this workspace (id, name or slug) for this command',
    )
    .option('--json', 'print machine-readable JSON')
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    .exitOverride();
  for (const register of COMMAND_GROUPS) {
    register(program, context);
  }
  // Subcommands throw instead of exiting too, and print through the same streams.
  const inherit = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({
        writeOut: (text) => context.io.stdout.write(text),
        writeErr: (text) => context.io.stderr.write(text),
      });
      inherit(sub);
    }
  };
  inherit(program);
  return program;
}
