#!/usr/bin/env node
// `npm start [-- --demo] [-- --build]`: Mission Control on this machine in one process, with
// nothing else to install (deploy/standalone). Builds first when there is no build yet, or when
// asked with --build; otherwise it runs the build that is there, so a restart takes seconds.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const launcher = path.join(root, 'deploy/standalone/dist/main.js');
const webBuild = path.join(root, 'web/.next/BUILD_ID');

const buildAsked = process.argv.indexOf('--build');
if (buildAsked >= 0) {
  process.argv.splice(buildAsked, 1);
}
if (buildAsked >= 0 || !existsSync(launcher) || !existsSync(webBuild)) {
  console.log('[mission-control] building (once; `npm start -- --build` after changing code)');
  const build = spawnSync(
    path.join(root, 'node_modules/.bin/nx'),
    ['run', 'standalone:build', '--outputStyle=static'],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NX_DAEMON: 'false' } },
  );
  if (build.status !== 0) {
    console.error('[mission-control] the build failed');
    process.exit(build.status ?? 1);
  }
}
// In this process: the launcher reads the remaining arguments, and one process is what runs.
await import(pathToFileURL(launcher).href);
