import { ConfigValidationError, loadConfig } from '@mission-control/config';
import { envWithArguments, standaloneConfigSchema } from './config/standalone.config';
import { startStandalone } from './standalone';

// `npm start`: Mission Control on this machine, in this process, with no engines to install.
// Times are from the start of the process (performance.now's origin), as a person waits for it.
const say = (line: string) =>
  process.stdout.write(`[mission-control] ${line} (${(performance.now() / 1000).toFixed(1)} s)\n`);

async function main(): Promise<void> {
  const config = loadConfig(
    standaloneConfigSchema,
    envWithArguments(process.argv.slice(2), process.env),
  );
  const instance = await startStandalone(config, say);
  say(`data in ${instance.dataDir} (MC_DATA_DIR); Ctrl-C stops`);
  say(
    instance.demo
      ? `demo workspace: log in as ${instance.demo.login.email} with password ${instance.demo.login.password}`
      : 'sign up on the page below to create your account and first workspace',
  );
  // Last, so it is what a person sees (and what scripts wait for).
  say(`ready: open ${instance.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      return;
    }
    stopping = true;
    say(`${signal}: stopping`);
    // Whatever still hangs then is abandoned; Postgres still gets its signal as the process exits.
    setTimeout(() => {
      process.stderr.write('[mission-control] not stopped after 20 s: exiting anyway\n');
      process.exit(1);
    }, 20_000).unref();
    instance.stop().then(
      () => {
        say('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        process.stderr.write(`[mission-control] stop failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, stop);
  }
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`[mission-control] could not start: ${message}\n`);
  process.exit(error instanceof ConfigValidationError ? 78 : 1);
});
