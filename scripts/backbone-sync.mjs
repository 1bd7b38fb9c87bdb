#!/usr/bin/env node
// npm run backbone:sync [-- --check]
// Writes the event backbone's Prisma models (libs/eventing/backbone/backbone.prisma) into the
// generated region of every service's prisma/schema.prisma. --check changes nothing and exits 1
// if a service's copy is not current.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const build = spawnSync(
  process.execPath,
  [require.resolve('typescript/bin/tsc'), '-b', path.join(root, 'libs/database/tsconfig.lib.json')],
  { cwd: root, stdio: 'inherit' },
);
if (build.status !== 0) {
  console.error('backbone:sync: building libs/database failed');
  process.exit(1);
}
const { SERVICES, backboneModelsCurrent, syncBackboneModels } = require(
  path.join(root, 'libs/database/dist/index.js'),
);

if (process.argv.includes('--check')) {
  const stale = SERVICES.filter((service) => !backboneModelsCurrent(service));
  if (stale.length > 0) {
    console.error(`backbone models not current in: ${stale.join(', ')} (npm run backbone:sync)`);
    process.exit(1);
  }
  console.log(`backbone models current in ${SERVICES.join(', ')}`);
} else {
  for (const service of SERVICES) {
    const changed = syncBackboneModels(service);
    console.log(`${changed ? 'updated' : 'current'} services/${service}/prisma/schema.prisma`);
  }
}
