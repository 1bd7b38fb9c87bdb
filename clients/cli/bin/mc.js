#!/usr/bin/env node
'use strict';
// The `mc` command. Runs the built CLI; in a fresh checkout (npm ci builds nothing) it builds the
// CLI with the SDK, the runner and the MCP server first, once, so `npx mc` works straight after installing.
const { existsSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'main.js');
// In the repository, the packages it is built with; installed from a registry, they come built.
const unbuilt = ['sdk', 'runner', 'mcp'].some(
  (name) =>
    existsSync(path.join(root, '..', name)) &&
    !existsSync(path.join(root, '..', name, 'dist', 'index.js')),
);

if (!existsSync(entry) || unbuilt) {
  const { execFileSync } = require('node:child_process');
  process.stderr.write('mc: building the CLI (first run)…\n');
  try {
    // tsc reports on stdout: send it to stderr, where mc's own notes go.
    execFileSync(
      process.execPath,
      [require.resolve('typescript/bin/tsc'), '-b', path.join(root, 'tsconfig.lib.json')],
      { stdio: ['ignore', 2, 2] },
    );
  } catch {
    process.stderr.write('mc: the build failed (above); run `npx nx run cli:build`\n');
    process.exit(1);
  }
}

require(entry)
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
