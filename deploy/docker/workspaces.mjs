#!/usr/bin/env node
// Image assembly helpers for deploy/docker/*.Dockerfile, run inside the build stage (Node only):
//   workspaces.mjs manifests <out>       root package.json + lockfile + every workspace's
//                                        package.json: all `npm ci` needs, nothing that changes
//                                        with the sources (the install layer stays cached)
//   workspaces.mjs runtime <app> <out>   what <app> (e.g. services/identity) runs from: its
//                                        package.json and dist/, the same for every workspace
//                                        package it depends on, and its runtime files
//   workspaces.mjs migrations <out>      the migration runner: libs/database, each service's
//                                        Prisma schema, migrations and config, and the Prisma CLI
//                                        with its dependencies (a devDependency of the services)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

// Files an app reads at run time besides dist/ (gateway: the composed supergraph it serves).
export const RUNTIME_FILES = { gateway: ['supergraph.graphql'] };

/** Workspace folders (relative to the root) from the root package.json's globs ("libs/*"). */
export function workspaceDirs() {
  return readJson(path.join(root, 'package.json')).workspaces.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) {
      return existsSync(path.join(root, pattern, 'package.json')) ? [pattern] : [];
    }
    const parent = pattern.slice(0, -2);
    return readdirSync(path.join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => `${parent}/${entry.name}`)
      .filter((dir) => existsSync(path.join(root, dir, 'package.json')));
  });
}

/** The workspace folders `app` needs at run time: itself and its production workspace deps. */
export function runtimeWorkspaces(app) {
  const byName = new Map(
    workspaceDirs().map((dir) => [readJson(path.join(root, dir, 'package.json')).name, dir]),
  );
  const seen = new Set();
  const visit = (dir) => {
    if (seen.has(dir)) {
      return;
    }
    seen.add(dir);
    const manifest = readJson(path.join(root, dir, 'package.json'));
    for (const name of Object.keys({
      ...manifest.dependencies,
      ...manifest.optionalDependencies,
    })) {
      if (byName.has(name)) {
        visit(byName.get(name));
      }
    }
  };
  visit(app);
  return [...seen];
}

const copy = (relative, out) => {
  const from = path.join(root, relative);
  if (!existsSync(from)) {
    throw new Error(`missing ${relative}: build it first`);
  }
  cpSync(from, path.join(out, relative), { recursive: true, dereference: false });
};

function manifests(out) {
  mkdirSync(out, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) {
    copy(file, out);
  }
  for (const dir of workspaceDirs()) {
    copy(`${dir}/package.json`, out);
  }
}

function runtime(app, out) {
  const appName = path.basename(app);
  for (const dir of runtimeWorkspaces(app)) {
    copy(`${dir}/package.json`, out);
    copy(`${dir}/dist`, out);
  }
  for (const file of RUNTIME_FILES[appName] ?? []) {
    copy(`${app}/${file}`, out);
  }
}

/** The installed package folder `name` resolves to from `fromDir` (Node's node_modules walk). */
function resolvePackage(name, fromDir) {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) {
      return candidate;
    }
    if (dir === root || path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/** Copies an installed package and its runtime dependency closure, keeping the folder layout. */
function copyClosure(name, out) {
  const seen = new Set();
  const visit = (packageName, fromDir, optional) => {
    const dir = resolvePackage(packageName, fromDir);
    if (!dir) {
      if (optional) {
        return;
      }
      throw new Error(`${packageName} is not installed (needed from ${fromDir})`);
    }
    const real = realpathSync(dir);
    if (seen.has(real)) {
      return;
    }
    seen.add(real);
    copy(path.relative(root, dir), out);
    const manifest = readJson(path.join(dir, 'package.json'));
    const peersOptional = manifest.peerDependenciesMeta ?? {};
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      visit(dep, real, false);
    }
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) {
      visit(dep, real, true);
    }
    // Optional peers (prisma's typescript) are the caller's choice: left out.
    for (const dep of Object.keys(manifest.peerDependencies ?? {})) {
      if (!peersOptional[dep]?.optional) {
        visit(dep, real, false);
      }
    }
  };
  visit(name, root, false);
}

function migrations(out) {
  // libs/database finds the workspace root by its nx.json.
  for (const file of ['package.json', 'nx.json', 'deploy/docker/migrate.mjs']) {
    copy(file, out);
  }
  runtime('libs/database', out);
  // The event backbone's SQL, which libs/database applies into every service schema.
  copy('libs/eventing/backbone', out);
  for (const dir of workspaceDirs().filter((d) => d.startsWith('services/'))) {
    if (existsSync(path.join(root, dir, 'prisma'))) {
      for (const file of ['package.json', 'prisma.config.ts', 'prisma']) {
        copy(`${dir}/${file}`, out);
      }
    }
  }
  copyClosure('prisma', out);
}

const [command, ...args] = process.argv.slice(2);
if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  if (command === 'manifests' && args.length === 1) {
    manifests(path.resolve(args[0]));
  } else if (command === 'runtime' && args.length === 2) {
    runtime(args[0], path.resolve(args[1]));
  } else if (command === 'migrations' && args.length === 1) {
    migrations(path.resolve(args[0]));
  } else {
    console.error(
      'usage: workspaces.mjs manifests <out> | runtime <app-dir> <out> | migrations <out>',
    );
    process.exit(2);
  }
}
