// `npm run generate`: TypeScript from the contracts into src/gen (committed).
// `npm run check:generated` (--check): generate into a temporary folder and fail, naming the files,
// when src/gen differs from it. Both paths run the same steps (buf generate with the local
// protoc-gen-es, then prettier with the workspace config), so a fresh generation always compares
// equal. Everything comes from node_modules: no network.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const projectDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const genDir = path.join(projectDir, 'src', 'gen');
const check = process.argv.includes('--check');

/** Relative paths (with `/`) of every file under `dir`, sorted. */
function listFiles(dir, prefix = '') {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`)
        : [`${prefix}${entry.name}`],
    )
    .sort();
}

function runBuf(outputDir) {
  // The project's and the workspace's node_modules/.bin, whichever npm hoisted the tools into.
  const bins = [projectDir, path.dirname(projectDir)].map((dir) =>
    path.join(dir, 'node_modules', '.bin'),
  );
  const result = spawnSync('buf', ['generate', '--output', outputDir], {
    cwd: projectDir,
    stdio: 'inherit',
    env: { ...process.env, PATH: [...bins, process.env.PATH].join(path.delimiter) },
  });
  if (result.error || result.status !== 0) {
    console.error(`buf generate failed${result.error ? `: ${result.error.message}` : ''}`);
    process.exit(1);
  }
}

/** The generated files, formatted exactly as they are committed, keyed by path under src/gen. */
async function generate() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'mc-proto-gen-'));
  try {
    runBuf(tmp);
    const outDir = path.join(tmp, 'src', 'gen');
    const files = new Map();
    for (const rel of listFiles(outDir)) {
      const target = path.join(genDir, rel);
      const options = (await prettier.resolveConfig(target)) ?? {};
      const source = readFileSync(path.join(outDir, rel), 'utf8');
      files.set(rel, await prettier.format(source, { ...options, filepath: target }));
    }
    return files;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const fresh = await generate();

if (check) {
  const committed = listFiles(genDir);
  const problems = [];
  for (const [rel, content] of fresh) {
    const file = path.join(genDir, rel);
    if (!existsSync(file)) {
      problems.push(`${'missing'.padEnd(10)} src/gen/${rel}`);
    } else if (readFileSync(file, 'utf8') !== content) {
      problems.push(`${'stale'.padEnd(10)} src/gen/${rel}`);
    }
  }
  for (const rel of committed) {
    if (!fresh.has(rel)) {
      problems.push(`${'unexpected'.padEnd(10)} src/gen/${rel}`);
    }
  }
  if (problems.length > 0) {
    console.error(
      [
        'proto: generated TypeScript does not match the contracts:',
        ...problems.map((line) => `  ${line}`),
        'Run `npm run generate -w proto` and commit proto/src/gen.',
      ].join('\n'),
    );
    process.exit(1);
  }
  console.log(`proto: src/gen is current (${fresh.size} files).`);
} else {
  // Write only what changed, so a run that finds src/gen current touches nothing (no rebuilds, and
  // no half-written folder for a check running beside it).
  let written = 0;
  for (const [rel, content] of fresh) {
    const file = path.join(genDir, rel);
    if (!existsSync(file) || readFileSync(file, 'utf8') !== content) {
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      written += 1;
    }
  }
  const removed = listFiles(genDir).filter((rel) => !fresh.has(rel));
  for (const rel of removed) {
    rmSync(path.join(genDir, rel));
  }
  console.log(
    `proto: ${fresh.size} generated files in src/gen (${written} written, ${removed.length} removed).`,
  );
}
