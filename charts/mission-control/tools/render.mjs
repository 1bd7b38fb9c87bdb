#!/usr/bin/env node
// The chart's offline check: `helm lint --strict` and `helm template` (helm-java, see
// helm-java.sh) for the default values, values-production.example.yaml and every values file in
// test/variants/, then every rendered object validated against the Kubernetes schemas
// (kubernetes-models); NOTES.txt rendered for the default and production values; every values file
// in test/invalid/ must be rejected. Writes <out-dir>/result.json for the specs; exits non-zero on any failure.
//   node tools/render.mjs [out-dir]
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse as parseYaml, stringify as toYaml } from 'yaml';

export const RELEASE = 'mc';
export const NAMESPACE = 'mission-control';
export const KUBE_VERSION = '1.31.0';

const chartDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const log = (line) =>
  console.log(`[chart] ${line} (${((Date.now() - started) / 1000).toFixed(1)}s)`);

// helm-java's template returns the release manifest without its hooks (the migration Job, the
// chart's Secret). The render copy renames the hook annotations so hooks stay in the manifest;
// they are renamed back after parsing, so the specs see exactly what helm installs.
const HOOK = 'helm.sh/hook';
const UNHOOKED = 'unhooked.render.local/hook';

/** Helm's values merge: maps merge key by key, anything else replaces, null deletes. */
function mergeValues(base, overlay) {
  const out = { ...base };
  for (const [key, value] of Object.entries(overlay ?? {})) {
    if (value === null) {
      delete out[key];
    } else if (isMap(value) && isMap(out[key])) {
      out[key] = mergeValues(out[key], value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
const isMap = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

function copyChart(to, transformTemplate = (text) => text) {
  cpSync(chartDir, to, {
    recursive: true,
    filter: (source) =>
      !/[/\\](node_modules|test|tools)$/.test(source) && !source.endsWith('package.json'),
  });
  const templates = path.join(to, 'templates');
  for (const file of readdirSync(templates)) {
    const full = path.join(templates, file);
    writeFileSync(full, transformTemplate(readFileSync(full, 'utf8')));
  }
  return to;
}

function restoreHooks(object) {
  const annotations = object?.metadata?.annotations;
  if (annotations) {
    for (const key of Object.keys(annotations)) {
      if (key.startsWith(UNHOOKED)) {
        annotations[HOOK + key.slice(UNHOOKED.length)] = annotations[key];
        delete annotations[key];
      }
    }
  }
  return object;
}

/** The kubernetes-models class of a kind, or undefined for kinds it does not model (CRDs). */
async function modelClass(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const specifier = ['kubernetes-models', group, version, kind].filter(Boolean).join('/');
  try {
    return (await import(specifier))[kind];
  } catch (error) {
    if (error?.code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' || error?.code === 'ERR_MODULE_NOT_FOUND') {
      return undefined;
    }
    throw error;
  }
}

// Custom resources kubernetes-models has no schema for; the specs check their shape.
const UNMODELLED = new Set(['monitoring.coreos.com/v1/ServiceMonitor']);

export async function render(outDir) {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(path.join(tmpdir(), 'mc-chart-'));
  const renderChart = copyChart(path.join(work, 'render'), (text) =>
    text.replaceAll(HOOK, UNHOOKED),
  );

  const baseValues = parseYaml(readFileSync(path.join(chartDir, 'values.yaml'), 'utf8'));
  const productionFile = path.join(chartDir, 'values-production.example.yaml');
  // helm-java lints with the chart's own values only: lint a copy whose values.yaml is the merge.
  const productionChart = copyChart(path.join(work, 'lint-production'));
  writeFileSync(
    path.join(productionChart, 'values.yaml'),
    toYaml(mergeValues(baseValues, parseYaml(readFileSync(productionFile, 'utf8')))),
  );

  const variantsDir = path.join(chartDir, 'test', 'variants');
  const renders = {
    default: [],
    production: [productionFile],
    ...Object.fromEntries(
      readdirSync(variantsDir)
        .filter((file) => file.endsWith('.yaml'))
        .sort()
        .map((file) => [path.basename(file, '.yaml'), [path.join(variantsDir, file)]]),
    ),
  };
  const invalidDir = path.join(chartDir, 'test', 'invalid');
  const invalid = readdirSync(invalidDir)
    .filter((file) => file.endsWith('.yaml'))
    .sort()
    .map((file) => [path.basename(file, '.yaml'), path.join(invalidDir, file)]);
  const target = [RELEASE, NAMESPACE, KUBE_VERSION];
  const jobs = [
    ['lint-default', 'lint', chartDir],
    ['lint-production', 'lint', productionChart],
    ['notes-default', 'notes', chartDir, ...target],
    ['notes-production', 'notes', chartDir, ...target, productionFile],
    ...invalid.map(([id, file]) => [`invalid-${id}`, 'reject', chartDir, ...target, file]),
    ...Object.entries(renders).map(([id, files]) => [
      `template-${id}`,
      'template',
      renderChart,
      ...target,
      ...files,
    ]),
  ];
  const jobsFile = path.join(work, 'jobs.tsv');
  writeFileSync(jobsFile, jobs.map((job) => job.join('\t')).join('\n') + '\n');
  log(
    `helm: lint and NOTES.txt for default and production values, template ${Object.keys(renders).join(', ')}, ` +
      `reject ${invalid.map(([id]) => id).join(', ')}`,
  );

  const helmOut = path.join(work, 'out');
  const helm = spawnSync(
    'bash',
    [path.join(chartDir, 'tools', 'helm-java.sh'), jobsFile, helmOut],
    {
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const result = { ok: false, lint: {}, notes: {}, invalid: {}, renders: {}, problems: [] };
  if (helm.error || helm.status === null) {
    result.problems.push(`helm-java.sh did not run: ${helm.error?.message ?? helm.signal}`);
  } else if (!existsSync(helmOut)) {
    // It stopped before helm ran (no java, no mvn, no jars): its message is above.
    result.problems.push(`helm-java.sh failed (exit ${helm.status}) before running helm`);
  }
  const read = (id, ext) => {
    try {
      return readFileSync(path.join(helmOut, `${id}.${ext}`), 'utf8');
    } catch {
      return undefined;
    }
  };
  for (const [id] of jobs) {
    const status = read(id, 'status');
    const output = read(id, 'out') ?? '';
    if (id.startsWith('invalid-')) {
      // `reject` jobs are ok when helm refused the values.
      result.invalid[id.slice('invalid-'.length)] = { rejected: status === 'ok', output };
      if (status === 'failed') {
        result.problems.push(`${id}: helm accepted values that values.schema.json must reject`);
      } else if (status !== 'ok') {
        result.problems.push(`${id}: not run`);
      }
      continue;
    }
    if (status !== 'ok') {
      result.problems.push(`${id}: ${status ?? 'not run'}\n${output}`);
    }
    if (id.startsWith('lint-')) {
      result.lint[id.slice('lint-'.length)] = {
        ok: status === 'ok',
        messages: output.split('\n').filter(Boolean),
      };
    } else if (id.startsWith('notes-')) {
      result.notes[id.slice('notes-'.length)] = output;
    }
  }

  let validated = 0;
  for (const id of Object.keys(renders)) {
    const text = read(`template-${id}`, 'out');
    if (text === undefined || read(`template-${id}`, 'status') !== 'ok') {
      continue;
    }
    const objects = [];
    for (const document of parseAllDocuments(text)) {
      if (document.errors.length > 0) {
        result.problems.push(`${id}: invalid YAML: ${document.errors[0].message}`);
        continue;
      }
      const object = document.toJS();
      if (object === null) {
        continue;
      }
      restoreHooks(object);
      const where = `${id}: ${object.kind}/${object.metadata?.name}`;
      const Model = await modelClass(object.apiVersion, object.kind);
      if (!Model) {
        if (!UNMODELLED.has(`${object.apiVersion}/${object.kind}`)) {
          result.problems.push(
            `${where}: no Kubernetes schema for ${object.apiVersion} ${object.kind}`,
          );
        }
      } else {
        try {
          new Model(object).validate();
          validated++;
        } catch (error) {
          result.problems.push(
            `${where}: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
      objects.push(object);
    }
    result.renders[id] = objects;
  }
  log(`kubernetes-models: ${validated} objects valid`);
  result.ok = result.problems.length === 0;
  writeFileSync(path.join(outDir, 'result.json'), JSON.stringify(result, null, 2));
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = process.argv[2] ?? mkdtempSync(path.join(tmpdir(), 'mc-chart-out-'));
  const result = await render(outDir);
  for (const problem of result.problems) {
    console.error(`[chart] PROBLEM ${problem}`);
  }
  log(`${result.ok ? 'ok' : 'FAILED'}: ${path.join(outDir, 'result.json')}`);
  process.exit(result.ok ? 0 : 1);
}
