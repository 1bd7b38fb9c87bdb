import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment' with {
  'resolution-mode': 'import',
};
import { CHART_DIR } from './paths';

type IObjectMeta = NonNullable<IDeployment['metadata']>;

export type K8sObject = {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta & { name: string };
};

export type RenderResult = {
  ok: boolean;
  lint: Record<string, { ok: boolean; messages: string[] }>;
  notes: Record<string, string>;
  invalid: Record<string, { rejected: boolean; output: string }>;
  renders: Record<string, K8sObject[]>;
  problems: string[];
};

// Must match tools/render.mjs.
export const RELEASE = 'mc';
export const NAMESPACE = 'mission-control';

let rendered: RenderResult | undefined;

/**
 * Lints and renders the chart through tools/render.mjs (helm-java in a JVM, then kubernetes-models)
 * once per spec file. Throws with the tool's output when Java, Maven or helm-java is missing or any
 * check failed: these specs never skip.
 */
export function renderChart(): RenderResult {
  if (rendered) {
    return rendered;
  }
  const out = mkdtempSync(path.join(tmpdir(), 'mc-chart-spec-'));
  // Its progress lines (jar fetch, each helm step, validation) go straight to the terminal.
  const run = spawnSync(process.execPath, [path.join(CHART_DIR, 'tools', 'render.mjs'), out], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: 170_000,
  });
  if (run.status !== 0) {
    throw new Error(
      `tools/render.mjs failed (exit ${run.status ?? run.signal}): helm lint/template or the ` +
        'Kubernetes schema validation did not pass, or java/mvn/helm-java is missing; its ' +
        'output is above.',
    );
  }
  rendered = JSON.parse(readFileSync(path.join(out, 'result.json'), 'utf8')) as RenderResult;
  return rendered;
}

export const ofKind = <T>(objects: K8sObject[], kind: string): (K8sObject & T)[] =>
  objects.filter((object) => object.kind === kind) as (K8sObject & T)[];

export const componentOf = (object: { metadata?: IObjectMeta }): string | undefined =>
  object.metadata?.labels?.['app.kubernetes.io/component'];

export const HOOK = 'helm.sh/hook';
export const hookOf = (object: K8sObject): string[] =>
  (object.metadata.annotations?.[HOOK] ?? '').split(',').filter(Boolean);
export const hookWeight = (object: K8sObject): number =>
  Number(object.metadata.annotations?.[`${HOOK}-weight`] ?? 0);
