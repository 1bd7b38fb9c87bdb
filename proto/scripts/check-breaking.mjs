// `npm run check:breaking`: events are forever, so the contracts in the work tree must stay
// compatible (buf's FILE rules) with every version of them ever committed, not only the previous
// commit: a submission of several commits is then checked as a whole, and so is a clone whose last
// commit did not touch proto/. Old versions are read from the local git objects (`git cat-file`),
// so this runs offline. With no history (the commit that introduces proto/, a tarball, a shallow
// clone's missing past) there is less or nothing to compare against, and that is said, not failed.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bins = [projectDir, path.dirname(projectDir)].map((dir) =>
  path.join(dir, 'node_modules', '.bin'),
);
const env = { ...process.env, PATH: [...bins, process.env.PATH].join(path.delimiter) };

function git(args, options = {}) {
  const result = spawnSync('git', args, {
    cwd: projectDir,
    encoding: options.encoding ?? 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error || result.status !== 0) {
    return undefined;
  }
  return result.stdout;
}

const prefix = git(['rev-parse', '--show-prefix'])?.trim();
if (prefix === undefined) {
  console.log('proto: not in a git work tree; no committed contracts to check against.');
  process.exit(0);
}

// Every commit that changed a contract, newest first.
const commits = (git(['log', '--format=%H', '--', `:(top,glob)${prefix}**/*.proto`]) ?? '')
  .split('\n')
  .filter(Boolean);

/** The committed .proto files of one commit: path inside proto/ and blob id. */
function protoFilesAt(commit) {
  return (git(['ls-tree', '-r', '--full-tree', commit, '--', prefix]) ?? '')
    .split('\n')
    .filter((line) => line.endsWith('.proto'))
    .map((line) => {
      const [meta, file] = line.split('\t');
      return { file: file.slice(prefix.length), blob: meta.split(' ')[2] };
    })
    .filter(({ file }) => !file.startsWith('node_modules/'));
}

// Distinct versions only: a commit that changed nothing but comments elsewhere adds no check.
const versions = new Map();
for (const commit of commits) {
  const files = protoFilesAt(commit);
  const key = files.map(({ file, blob }) => `${file}:${blob}`).join('\n');
  if (files.length > 0 && !versions.has(key)) {
    versions.set(key, { commit, files });
  }
}

if (versions.size === 0) {
  console.log('proto: no committed contracts yet; nothing to check for breaking changes.');
  process.exit(0);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mc-proto-breaking-'));
const failed = [];
try {
  for (const { commit, files } of versions.values()) {
    const against = path.join(tmp, commit);
    for (const { file, blob } of files) {
      const content = git(['cat-file', 'blob', blob], { encoding: 'buffer' });
      mkdirSync(path.dirname(path.join(against, file)), { recursive: true });
      writeFileSync(path.join(against, file), content);
    }
    const result = spawnSync('buf', ['breaking', '--against', against], {
      cwd: projectDir,
      encoding: 'utf8',
      env,
    });
    if (result.error) {
      console.error(`proto: could not run buf: ${result.error.message}`);
      process.exit(1);
    }
    if (result.status !== 0) {
      failed.push({ commit, output: `${result.stdout}${result.stderr}`.trim() });
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (failed.length > 0) {
  console.error('proto: breaking change to published contracts (events are forever):');
  for (const { commit, output } of failed) {
    console.error(`\n  against ${commit.slice(0, 12)}:\n${output.replace(/^/gm, '    ')}`);
  }
  console.error(
    '\nAdd fields compatibly, or publish a new version (e.g. mission/v2) with an upcaster: see proto/README.md.',
  );
  process.exit(1);
}
const shallow = git(['rev-parse', '--is-shallow-repository'])?.trim() === 'true';
console.log(
  `proto: compatible with all ${versions.size} committed version(s) of the contracts` +
    (shallow ? ' (shallow clone: older versions were not checked).' : '.'),
);
