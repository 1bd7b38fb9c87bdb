import type { Command } from 'commander';
import { loadRunnerConfig, RunnerConfigError, startRunner } from '@mission-control/runner';
import { MissionControlError } from '@mission-control/sdk';
import type { CliContext } from '../context/cli-context';
import { usageError } from '../errors/usage.error';

/**
 * `mc runner --config <file>`: this host runs its agents' CLIs for their missions until it is
 * stopped (Ctrl-C or SIGTERM hand what it holds back). The file names the gateway, and each
 * agent's key, adapter and options (clients/runner README).
 */
export function registerRunnerCommands(program: Command, context: CliContext): void {
  program
    .command('runner')
    .description("run agents' CLIs for their missions on this host, until stopped")
    .requiredOption('-c, --config <file>', 'the runner configuration, YAML or JSON')
    .action(async (options: { config: string }) => {
      const config = await loadRunnerConfig(options.config).catch((error: unknown) => {
        throw error instanceof RunnerConfigError ? usageError(error.message) : error;
      });
      const runner = await startRunner(config);
      const names = runner.agents.map((agent) => `${agent.name} (${agent.adapter})`).join(', ');
      context.io.stderr.write(`mc runner: at work for ${names}; Ctrl-C stops\n`);
      await runner.stopped;
      // Every key refused: nothing could run here, which a supervisor should hear of.
      if (runner.refused.length > 0 && runner.refused.length === runner.agents.length) {
        throw new MissionControlError({
          code: 'UNAUTHENTICATED',
          message: `every agent key was refused: ${runner.refused.map((r) => r.reason).join('; ')}`,
        });
      }
    });
}
