// `npm test`: engines up, unit suites, integration suites against the real engines, the browser
// journeys, chaos suites (engines killed and restarted under load), then one total.
// Every phase prints its elapsed time; any failure (or a missing engine) fails the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const seconds = (since) => ((Date.now() - since) / 1000).toFixed(1);

function phase(name, command, args) {
  const at = Date.now();
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
  console.log(`=== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${seconds(at)}s ===`);
  return result.status === 0;
}

// Every workspace of the root package.json (`group/*` expanded): each may hold jest results.
const projectDirs = JSON.parse(
  readFileSync(path.join(root, 'package.json'), 'utf8'),
).workspaces.flatMap((pattern) =>
  pattern.endsWith('/*')
    ? readdirSync(path.join(root, pattern.slice(0, -2)), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => path.join(root, pattern.slice(0, -2), entry.name))
    : [path.join(root, pattern)],
);
for (const dir of projectDirs) {
  rmSync(path.join(dir, '.jest'), { recursive: true, force: true });
}

const nx = path.join(root, 'node_modules/.bin/nx');
const ok =
  phase('engines', 'bash', ['deploy/local/infra.sh', 'up']) &&
  [
    phase('unit tests', nx, ['run-many', '-t', 'test', '--outputStyle=stream']),
    phase('integration tests', nx, ['run-many', '-t', 'test-integration', '--outputStyle=stream']),
    phase('browser journeys', nx, ['run', 'e2e:e2e', '--outputStyle=stream']),
    // Chaos suites kill Kafka and restart Postgres: one at a time, with nothing else running.
    phase('chaos tests', nx, [
      'run-many',
      '-t',
      'test-chaos',
      '--parallel=1',
      '--outputStyle=stream',
    ]),
  ].every(Boolean);

const total = { passed: 0, failed: 0, skipped: 0, suitesFailed: 0 };
for (const dir of projectDirs) {
  for (const kind of ['unit', 'integration', 'chaos', 'browser']) {
    const file = path.join(dir, '.jest', `${kind}.json`);
    if (existsSync(file)) {
      const counts = JSON.parse(readFileSync(file, 'utf8'));
      for (const key of Object.keys(total)) {
        total[key] += counts[key];
      }
    }
  }
}
console.log(`\nAll tests took ${seconds(started)}s (suites failed: ${total.suitesFailed}).`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(ok && total.failed === 0 && total.suitesFailed === 0 && total.skipped === 0 ? 0 : 1);
