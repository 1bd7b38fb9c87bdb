// A runner in a process of its own (the built package), for specs that kill it: its configuration
// comes in RUNNER_CONFIG, and each of its events is printed as a JSON line on stdout.
'use strict';
const { startRunner } = require('../../dist');

startRunner(JSON.parse(process.env.RUNNER_CONFIG), {
  onEvent: (event) => process.stdout.write(`${JSON.stringify(event)}\n`),
}).then(
  (runner) =>
    runner.stopped.then(() => {
      process.stdout.write(`${JSON.stringify({ type: 'stopped' })}\n`);
      process.exit(0);
    }),
  (error) => {
    process.stderr.write(`${error.stack ?? error}\n`);
    process.exit(1);
  },
);
