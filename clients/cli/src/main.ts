import { CommanderError } from 'commander';
import { ConfigStore, configDir } from './config/cli-config';
import { CliContext, type CliIo } from './context/cli-context';
import { EXIT_OK, EXIT_USAGE, errorLine, exitCodeOf } from './errors/exit-codes';
import { createProgram } from './program';

export { createProgram } from './program';
export {
  CliContext,
  type CliIo,
  type GlobalOptions,
  type GraphClient,
} from './context/cli-context';
export { ConfigStore, configDir, type CliConfig } from './config/cli-config';
export { EXIT_CODES, errorLine, exitCodeOf } from './errors/exit-codes';

const defaultIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/** Runs `mc` with `argv` (as process.argv); answers the exit code, never throws. */
export async function main(argv: string[], io: CliIo = defaultIo()): Promise<number> {
  const context = new CliContext(io, new ConfigStore(configDir(io.env)));
  const program = createProgram(context);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with 0; commander has already printed its own one-line error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    io.stderr.write(`${errorLine(error)}\n`);
    // A fault of mc itself, not of what was typed: the stack helps whoever reports it.
    if (io.env.MC_DEBUG && error instanceof Error && error.stack) {
      io.stderr.write(`${error.stack}\n`);
    }
    return exitCodeOf(error);
  }
}
