import type { Command } from 'commander';
import {
  diagnoseRunner,
  loadRunnerConfig,
  RunnerConfigError,
  startRunner,
} from '@mission-control/runner';
import { MissionControlError } from '@mission-control/sdk';
import type { CliContext, GlobalOptions } from '../context/cli-context';
import { usageError } from '../errors/usage.error';
import { doctorFailure, renderDoctorReport } from '../runner/doctor-report';

/**
 * `mc runner --config <file>`: this host runs its agents' CLIs for their missions until it is
 * stopped (Ctrl-C or SIGTERM hand what it holds back). The file names the gateway, and each
 * agent's key, adapter and options (clients/runner README).
 */
export function registerRunnerCommands(program: Command, context: CliContext): void {
  const runnerCommand = program
    .command('runner')
    .description("run agents' CLIs for their missions on this host, until stopped")
    // Not a required option: `mc runner doctor` has a --config of its own.
    .option('-c, --config <file>', 'the runner configuration, YAML or JSON')
    .action(async (options: { config?: string }) => {
      if (options.config === undefined) {
        throw usageError(
          'mc runner needs --config <file>, the runner configuration (YAML or JSON)',
        );
      }
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

  runnerCommand
    .command('doctor')
    .description(
      "check a runner configuration: Mission Control, each agent's key, and its OpenClaw gateway or CLI",
    )
    .option('-c, --config <file>', 'the runner configuration, YAML or JSON (default: runner.yaml)')
    .action(async (_options: unknown, command: Command) => {
      // `mc runner` takes --config too and reads it wherever it is on the line: both are looked at.
      const globals = command.optsWithGlobals<GlobalOptions & { config?: string }>();
      const file = globals.config ?? 'runner.yaml';
      const checks = await diagnoseRunner(file, { env: context.io.env });
      context.print(
        globals,
        { ok: !checks.some((check) => check.status === 'failed'), checks },
        () => renderDoctorReport(checks),
      );
      const failure = doctorFailure(checks);
      if (failure) {
        throw failure;
      }
      context.note(`mc runner doctor: all ${checks.length} checks passed`);
    });
}
