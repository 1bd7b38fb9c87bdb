import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment' with {
  'resolution-mode': 'import',
};
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler' with {
  'resolution-mode': 'import',
};
import type { IJob } from 'kubernetes-models/batch/v1/Job' with { 'resolution-mode': 'import' };
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress' with {
  'resolution-mode': 'import',
};
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy' with {
  'resolution-mode': 'import',
};
import type { INetworkPolicyPeer } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer' with {
  'resolution-mode': 'import',
};
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget' with {
  'resolution-mode': 'import',
};
import type { IConfigMap } from 'kubernetes-models/v1/ConfigMap' with {
  'resolution-mode': 'import',
};
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec' with { 'resolution-mode': 'import' };
import type { ISecret } from 'kubernetes-models/v1/Secret' with { 'resolution-mode': 'import' };
import type { IService } from 'kubernetes-models/v1/Service' with { 'resolution-mode': 'import' };
import { APPS, type AppName, checkAppEnv, portKey, SERVICE_NAMES } from './support/app-config';
import { CHART_DIR, DEPLOY_DIR, REPO_ROOT } from './support/paths';
import {
  componentOf,
  hookOf,
  hookWeight,
  type K8sObject,
  NAMESPACE,
  ofKind,
  RELEASE,
  renderChart,
  type RenderResult,
} from './support/render';

type Deployment = K8sObject & IDeployment;
type Values = Record<string, unknown> & {
  secrets: { existingSecret: string; keys: Record<string, string> };
  networkPolicy: {
    ingressFrom: INetworkPolicyPeer[];
    dns: { to: INetworkPolicyPeer[] };
    agentWake: { to: INetworkPolicyPeer[] };
  };
  serviceMonitor: { scrapeFrom: INetworkPolicyPeer[] };
  postgres: { port: number; networkPolicy: { to: INetworkPolicyPeer[] } };
  kafka: { networkPolicy: { to: INetworkPolicyPeer[] } };
  elasticsearch: { networkPolicy: { to: INetworkPolicyPeer[] } };
  influxdb: { networkPolicy: { to: INetworkPolicyPeer[] } };
};

const FULLNAME = `${RELEASE}-mission-control`;
const SECRET_KEYS = [
  'INTERNAL_AUTH_SECRET',
  'CLIENT_ADDRESS_SECRET',
  'IDENTITY_SIGNING_KEY',
  'DATABASE_URL',
];
const readYaml = (file: string) => parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Helm's values merge (maps merge, anything else replaces, null deletes). */
function mergeValues(base: Record<string, unknown>, overlay: Record<string, unknown>) {
  const out: Record<string, unknown> = { ...base };
  const isMap = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  for (const [key, value] of Object.entries(overlay)) {
    const current = out[key];
    if (value === null) {
      delete out[key];
    } else if (isMap(value) && isMap(current)) {
      out[key] = mergeValues(current, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

const VALUES_FILES: Record<string, string | undefined> = {
  default: undefined,
  production: path.join(CHART_DIR, 'values-production.example.yaml'),
  'all-features': path.join(CHART_DIR, 'test/variants/all-features.yaml'),
  'existing-secret': path.join(CHART_DIR, 'test/variants/existing-secret.yaml'),
  'managed-secrets': path.join(CHART_DIR, 'test/variants/managed-secrets.yaml'),
};
const valuesOf = (variant: string): Values => {
  const base = readYaml(path.join(CHART_DIR, 'values.yaml'));
  const file = VALUES_FILES[variant];
  return (file ? mergeValues(base, readYaml(file)) : base) as Values;
};

const podSpecOf = (object: K8sObject): IPodSpec => {
  const spec = (object as Deployment).spec?.template.spec;
  if (!spec) {
    throw new Error(`${object.kind}/${object.metadata.name} has no pod template`);
  }
  return spec;
};
const podLabelsOf = (object: K8sObject) =>
  (object as Deployment).spec?.template.metadata?.labels ?? {};
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  !!selector && Object.entries(selector).every(([key, value]) => labels[key] === value);

let result: RenderResult;
let generated: Record<string, string>;

beforeAll(() => {
  result = renderChart();
  // Realistic secrets for the config checks, from the generator the docs point at.
  const run = spawnSync(process.execPath, [path.join(DEPLOY_DIR, 'generate-secrets.mjs')], {
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  generated = Object.fromEntries(
    run.stdout
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}, 180_000);

const VARIANTS = Object.keys(VALUES_FILES);

describe('helm (helm-java) and the Kubernetes schemas', () => {
  it('renders every values file, with no problem reported', () => {
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.renders).sort()).toEqual([...VARIANTS].sort());
  });

  it.each(['default', 'production'])('passes helm lint --strict with the %s values', (id) => {
    expect(result.lint[id]?.ok).toBe(true);
    expect(result.lint[id]?.messages.filter((m) => /\[(WARNING|ERROR)\]/.test(m))).toEqual([]);
  });

  it('renders NOTES.txt, warning about missing secrets only when they are missing', () => {
    expect(result.notes.default).toContain(
      `kubectl -n ${NAMESPACE} logs job/${FULLNAME}-migrations`,
    );
    expect(result.notes.default).toContain('WARNING: secrets.internalAuthSecret');
    expect(result.notes.production).toContain('https://mission-control.example.com');
    expect(result.notes.production).not.toContain('WARNING');
  });

  it.each([
    ['typo-in-component', "additional properties 'replicaCont' not allowed"],
    ['typo-at-top-level', "additional properties 'ingres' not allowed"],
    ['secret-in-configmap-env', 'INTERNAL_AUTH_SECRET'],
    ['writable-root-filesystem', 'readOnlyRootFilesystem'],
    ['short-internal-secret', 'internalAuthSecret'],
    ['bad-kafka-broker', '/kafka/brokers/0'],
  ])('values.schema.json rejects %s', (id, message) => {
    expect(result.invalid[id]?.rejected).toBe(true);
    expect(result.invalid[id]?.output).toContain("don't meet the specifications of the schema");
    expect(result.invalid[id]?.output).toContain(message);
  });

  it('renders the objects each component needs in the default install', () => {
    const objects = result.renders.default!;
    const count = (kind: string) => ofKind(objects, kind).length;
    expect({
      Deployment: count('Deployment'),
      Service: count('Service'),
      ServiceAccount: count('ServiceAccount'),
      ConfigMap: count('ConfigMap'),
      NetworkPolicy: count('NetworkPolicy'),
      Job: count('Job'),
      Secret: count('Secret'),
      HorizontalPodAutoscaler: count('HorizontalPodAutoscaler'),
      Ingress: count('Ingress'),
      ServiceMonitor: count('ServiceMonitor'),
    }).toEqual({
      Deployment: 7,
      Service: 7,
      ServiceAccount: 7,
      ConfigMap: 7,
      NetworkPolicy: 8, // seven components and the migration Job
      Job: 1,
      Secret: 1,
      HorizontalPodAutoscaler: 0,
      Ingress: 0,
      ServiceMonitor: 0,
    });
    expect(ofKind<Deployment>(objects, 'Deployment').map(componentOf).sort()).toEqual(
      Object.keys(APPS).sort(),
    );
  });
});

describe.each(VARIANTS)('workloads (%s values)', (variant) => {
  const objects = () => result.renders[variant]!;
  const deployments = () => ofKind<IDeployment>(objects(), 'Deployment');
  const workloads = () => [...deployments(), ...ofKind<IJob>(objects(), 'Job')];

  it('gives every Deployment a liveness probe on /health and a readiness probe on /ready (web: /health)', () => {
    for (const deployment of deployments()) {
      const app = componentOf(deployment) as AppName;
      const [container, ...more] = podSpecOf(deployment).containers;
      expect(more).toEqual([]);
      const named = container!.ports?.find((port) => port.name === 'http');
      expect(named?.containerPort).toBe(APPS[app].port);
      expect(container!.livenessProbe?.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(container!.readinessProbe?.httpGet).toEqual({
        path: app === 'web' ? '/health' : '/ready',
        port: 'http',
      });
    }
  });

  it('sets resources and a non-root, read-only, capability-free securityContext on every pod', () => {
    expect(workloads().length).toBeGreaterThan(0);
    for (const workload of workloads()) {
      const pod = podSpecOf(workload);
      const where = `${workload.kind}/${workload.metadata.name}`;
      expect({ where, ...pod.securityContext }).toMatchObject({
        where,
        runAsNonRoot: true,
        runAsUser: expect.any(Number) as number,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      const tmp = pod.volumes?.find((volume) => volume.name === 'tmp');
      expect(tmp?.emptyDir).toBeDefined();
      for (const container of pod.containers) {
        expect({ where, ...container.securityContext }).toEqual({
          where,
          runAsNonRoot: true,
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
        expect(container.resources?.requests).toMatchObject({
          cpu: expect.anything() as unknown,
          memory: expect.anything() as unknown,
        });
        expect(container.resources?.limits).toMatchObject({
          memory: expect.anything() as unknown,
        });
      }
    }
  });

  it('has a PodDisruptionBudget for exactly the components that never run fewer than 2 replicas', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler');
    const pdbs = ofKind<IPodDisruptionBudget>(objects(), 'PodDisruptionBudget');
    for (const deployment of deployments()) {
      const hpa = hpas.find((h) => h.spec?.scaleTargetRef.name === deployment.metadata.name);
      if (hpa) {
        expect(deployment.spec?.replicas).toBeUndefined(); // the HPA owns the count
      }
      const floor = hpa ? (hpa.spec?.minReplicas ?? 1) : (deployment.spec?.replicas ?? 1);
      const covering = pdbs.filter((pdb) =>
        selects(pdb.spec?.selector?.matchLabels, podLabelsOf(deployment)),
      );
      expect({ deployment: deployment.metadata.name, floor, pdbs: covering.length }).toEqual({
        deployment: deployment.metadata.name,
        floor,
        pdbs: floor > 1 ? 1 : 0,
      });
    }
    expect(pdbs.length).toBeLessThanOrEqual(deployments().length);
  });

  it('wires each Deployment to its Service, ServiceAccount and ConfigMap', () => {
    const services = ofKind<IService>(objects(), 'Service');
    const accounts = ofKind(objects(), 'ServiceAccount').map((sa) => sa.metadata.name);
    const configMaps = ofKind(objects(), 'ConfigMap').map((cm) => cm.metadata.name);
    for (const deployment of deployments()) {
      const pod = podSpecOf(deployment);
      const service = services.find((s) => s.metadata.name === deployment.metadata.name);
      expect(selects(service?.spec?.selector, podLabelsOf(deployment))).toBe(true);
      expect(service?.spec?.ports).toEqual([
        {
          name: 'http',
          port: APPS[componentOf(deployment) as AppName].port,
          targetPort: 'http',
          protocol: 'TCP',
        },
      ]);
      expect(accounts).toContain(pod.serviceAccountName);
      for (const source of pod.containers[0]!.envFrom ?? []) {
        expect(configMaps).toContain(source.configMapRef?.name);
      }
    }
  });

  it('gives every app the environment its own config schema requires, with no local fallback', async () => {
    const configMaps = ofKind<IConfigMap>(objects(), 'ConfigMap');
    const secret = ofKind<ISecret>(objects(), 'Secret')[0];
    const fromSecret = (key: string) =>
      secret?.data?.[key] ? Buffer.from(secret.data[key], 'base64').toString('utf8') : undefined;
    const dummy: Record<string, string> = {
      DATABASE_URL: 'postgresql://mission_control:pw@postgres.example:5432/mission_control',
      INTERNAL_AUTH_SECRET: generated.INTERNAL_AUTH_SECRET!,
      CLIENT_ADDRESS_SECRET: generated.CLIENT_ADDRESS_SECRET!,
      IDENTITY_SIGNING_KEY: generated.IDENTITY_SIGNING_KEY!,
    };
    const problems: string[] = [];
    for (const deployment of deployments()) {
      const app = componentOf(deployment) as AppName;
      const container = podSpecOf(deployment).containers[0]!;
      const env: Record<string, string> = {};
      for (const source of container.envFrom ?? []) {
        Object.assign(
          env,
          configMaps.find((cm) => cm.metadata.name === source.configMapRef?.name)?.data,
        );
      }
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        // The URL the chart built when it has one; stand-ins for what the operator supplies
        // (and for the test variants' sentinels, which are not real keys).
        const rendered = ref && variable.name === 'DATABASE_URL' ? fromSecret(ref.key) : undefined;
        env[variable.name] = variable.value ?? rendered ?? dummy[variable.name] ?? '';
      }
      expect(env[portKey(app)]).toBe(String(APPS[app].port));
      // Containers must listen beyond loopback (the services read HOST, Next.js HOSTNAME).
      expect(env[app === 'web' ? 'HOSTNAME' : 'HOST']).toBe('0.0.0.0');
      expect(env.NODE_ENV).toBe('production');
      problems.push(...(await checkAppEnv(app, env)));
    }
    expect(problems).toEqual([]);
  });
});

describe('the gateway', () => {
  it.each(VARIANTS)(
    'routes to every subgraph of gateway/src/subgraphs.json (%s values)',
    (variant) => {
      const subgraphs = Object.keys(
        JSON.parse(
          readFileSync(path.join(REPO_ROOT, 'gateway/src/subgraphs.json'), 'utf8'),
        ) as object,
      );
      const objects = result.renders[variant]!;
      const data = ofKind<IConfigMap>(objects, 'ConfigMap').find(
        (cm) => componentOf(cm) === 'gateway',
      )?.data;
      const urls = Object.fromEntries(
        Object.entries(data ?? {}).filter(([key]) => key.endsWith('_GRAPHQL_URL')),
      );
      const expected = subgraphs.filter((name) =>
        ofKind(objects, 'Service').some((s) => componentOf(s) === name),
      );
      expect(urls).toEqual(
        Object.fromEntries(
          expected.map((name) => [
            `${name.toUpperCase()}_GRAPHQL_URL`,
            `http://${FULLNAME}-${name}:${APPS[name as AppName].port}/graphql`,
          ]),
        ),
      );
      expect(data?.IDENTITY_JWKS_URL).toBe(
        `http://${FULLNAME}-identity:4001/.well-known/jwks.json`,
      );
      // Clients reach it through the ingress controller: their address is in X-Forwarded-For.
      expect(data?.TRUST_PROXY_HOPS).toBe('1');
    },
  );
});

describe('NetworkPolicies', () => {
  const ENGINE_PORTS: Record<number, string> = {
    5432: 'postgres',
    9092: 'kafka',
    9200: 'elasticsearch',
    8086: 'influxdb',
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

  /** Every allowed flow as "from -> to:port/protocol", from the ingress and the egress side. */
  function flows(objects: K8sObject[], values: Values) {
    const peerName = (peer: INetworkPolicyPeer, port: number): string => {
      const component = peer.podSelector?.matchLabels?.['app.kubernetes.io/component'];
      if (component && !peer.namespaceSelector && !peer.ipBlock) {
        return component;
      }
      if (values.networkPolicy.ingressFrom.some((p) => same(p, peer))) {
        return 'ingress';
      }
      if (values.networkPolicy.dns.to.some((p) => same(p, peer))) {
        return 'dns';
      }
      if (values.networkPolicy.agentWake.to.some((p) => same(p, peer))) {
        return 'wake-urls';
      }
      if (values.serviceMonitor.scrapeFrom.some((p) => same(p, peer))) {
        return 'monitoring';
      }
      for (const engine of ['postgres', 'kafka', 'elasticsearch', 'influxdb'] as const) {
        if (
          values[engine].networkPolicy.to.some((p) => same(p, peer)) &&
          ENGINE_PORTS[port] === engine
        ) {
          return engine;
        }
      }
      return `unknown peer ${JSON.stringify(peer)}`;
    };
    const ingress = new Set<string>();
    const egress = new Set<string>();
    const policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy');
    for (const policy of policies) {
      const self = policy.spec?.podSelector?.matchLabels?.['app.kubernetes.io/component'] ?? '?';
      expect(policy.spec?.policyTypes).toEqual(['Ingress', 'Egress']);
      for (const rule of policy.spec?.ingress ?? []) {
        for (const port of rule.ports ?? []) {
          for (const peer of rule.from ?? []) {
            ingress.add(
              `${peerName(peer, Number(port.port))} -> ${self}:${port.port}/${port.protocol}`,
            );
          }
        }
      }
      for (const rule of policy.spec?.egress ?? []) {
        for (const port of rule.ports ?? []) {
          const engine = ENGINE_PORTS[Number(port.port)];
          // No peers: any address, allowed only for an engine the values give no peers for.
          const names = rule.to
            ? rule.to.map((peer) => peerName(peer, Number(port.port)))
            : [
                engine && values[engine as 'kafka'].networkPolicy.to.length === 0
                  ? engine
                  : 'anywhere',
              ];
          for (const name of names) {
            egress.add(`${self} -> ${name}:${port.port}/${port.protocol}`);
          }
        }
      }
    }
    return { ingress, egress, policies };
  }

  const DOCUMENTED = (services: string[]) => {
    const port = (name: string) => APPS[name as AppName].port;
    const pods = [...services, 'gateway', 'web', 'migrations'];
    return [
      'ingress -> web:3000/TCP',
      'ingress -> gateway:4000/TCP',
      'web -> gateway:4000/TCP',
      'gateway -> kafka:9092/TCP',
      ...services.map((s) => `gateway -> ${s}:${port(s)}/TCP`),
      ...services.flatMap((s) => [`${s} -> postgres:5432/TCP`, `${s} -> kafka:9092/TCP`]),
      'analytics -> elasticsearch:9200/TCP',
      'analytics -> influxdb:8086/TCP',
      // Agents' wake URLs: the public internet, never the cluster's networks.
      ...(services.includes('agent')
        ? ['agent -> wake-urls:443/TCP', 'agent -> wake-urls:80/TCP']
        : []),
      'migrations -> postgres:5432/TCP',
      ...pods.flatMap((p) => [`${p} -> dns:53/UDP`, `${p} -> dns:53/TCP`]),
    ].sort();
  };

  it.each(['default', 'production', 'existing-secret'])(
    'allow exactly the documented flows (%s values)',
    (variant) => {
      const { ingress, egress } = flows(result.renders[variant]!, valuesOf(variant));
      const all = [...new Set([...ingress, ...egress])].sort();
      expect(all).toEqual(DOCUMENTED([...SERVICE_NAMES]));
      // A flow between two pods of the release is open on both ends.
      for (const flow of all) {
        const [from, to] = flow.split(' -> ') as [string, string];
        const target = to.split(':')[0]!;
        if (from in APPS && target in APPS) {
          expect({ flow, ingress: ingress.has(flow), egress: egress.has(flow) }).toEqual({
            flow,
            ingress: true,
            egress: true,
          });
        }
      }
    },
  );

  it('follow the components that are enabled, and admit scrapers only with ServiceMonitors', () => {
    const { ingress, egress } = flows(result.renders['all-features']!, valuesOf('all-features'));
    const all = [...ingress, ...egress];
    expect(all.filter((flow) => flow.includes('integration'))).toEqual([]);
    expect(all.filter((flow) => flow.startsWith('monitoring')).sort()).toEqual(
      (['identity', 'agent', 'mission', 'analytics', 'gateway', 'web'] as const)
        .map((app) => `monitoring -> ${app}:${APPS[app].port}/TCP`)
        .sort(),
    );
    expect(all.filter((flow) => flow.includes('unknown') || flow.includes('anywhere'))).toEqual([]);
  });

  it.each(VARIANTS)(
    'select every pod of the release, each by exactly one policy (%s values)',
    (variant) => {
      const objects = result.renders[variant]!;
      const policies = ofKind<INetworkPolicy>(objects, 'NetworkPolicy');
      for (const workload of [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')]) {
        const covering = policies.filter((p) =>
          selects(p.spec?.podSelector?.matchLabels, podLabelsOf(workload)),
        );
        expect({ workload: workload.metadata.name, policies: covering.length }).toEqual({
          workload: workload.metadata.name,
          policies: 1,
        });
      }
    },
  );
});

describe('the migration Job', () => {
  // Helm's InstallOrder (pkg/release/util/kind_sorter.go), for the kinds this chart renders.
  const INSTALL_ORDER = [
    'NetworkPolicy',
    'PodDisruptionBudget',
    'ServiceAccount',
    'Secret',
    'ConfigMap',
    'Service',
    'Deployment',
    'HorizontalPodAutoscaler',
    'Job',
    'Ingress',
  ];
  const kindRank = (kind: string) => {
    const rank = INSTALL_ORDER.indexOf(kind);
    return rank < 0 ? INSTALL_ORDER.length : rank;
  };

  /** What `helm install` creates, in order: pre-install hooks by weight, then the manifest. */
  function installSequence(objects: K8sObject[]): K8sObject[] {
    const byKind = (a: K8sObject, b: K8sObject) => kindRank(a.kind) - kindRank(b.kind);
    const hooks = objects
      .filter((o) => hookOf(o).includes('pre-install'))
      .sort((a, b) => hookWeight(a) - hookWeight(b) || byKind(a, b));
    const manifest = objects.filter((o) => hookOf(o).length === 0).sort(byKind);
    return [...hooks, ...manifest];
  }

  it.each(VARIANTS)(
    'is a pre-install,pre-upgrade hook outweighed only by its own prerequisites, and runs before every Deployment (%s values)',
    (variant) => {
      const objects = result.renders[variant]!;
      const [job, ...more] = ofKind<IJob>(objects, 'Job');
      expect(more).toEqual([]);
      expect(hookOf(job!).sort()).toEqual(['pre-install', 'pre-upgrade']);
      const pod = podSpecOf(job!);
      const secretNames = new Set(
        pod.containers.flatMap((c) => (c.env ?? []).map((e) => e.valueFrom?.secretKeyRef?.name)),
      );
      const prerequisite = (o: K8sObject) =>
        (o.kind === 'Secret' && secretNames.has(o.metadata.name)) ||
        (o.kind === 'NetworkPolicy' &&
          selects(
            (o as K8sObject & INetworkPolicy).spec?.podSelector?.matchLabels,
            podLabelsOf(job!),
          ));
      for (const other of objects.filter((o) => o !== job)) {
        const hooks = hookOf(other);
        const where = `${other.kind}/${other.metadata.name}`;
        if (hooks.length === 0) {
          continue; // regular resources are applied only once the pre-install hooks succeeded
        }
        expect({ where, hooks: hooks.sort() }).toEqual({
          where,
          hooks: ['pre-install', 'pre-upgrade'],
        });
        expect({ where, prerequisite: prerequisite(other) }).toEqual({ where, prerequisite: true });
        expect(hookWeight(other)).toBeLessThan(hookWeight(job!));
      }
      // Its prerequisites exist when it starts (unless the operator owns the Secret).
      const sequence = installSequence(objects);
      const jobAt = sequence.indexOf(job!);
      for (const dependency of objects.filter(prerequisite)) {
        expect(sequence.indexOf(dependency)).toBeLessThan(jobAt);
      }
      const deployments = sequence.filter((o) => o.kind === 'Deployment');
      expect(deployments.length).toBeGreaterThan(0);
      for (const deployment of deployments) {
        expect(sequence.indexOf(deployment)).toBeGreaterThan(jobAt);
      }
      expect(pod.restartPolicy).toBe('Never');
      expect(pod.containers[0]!.args).toEqual([...SERVICE_NAMES]);
    },
  );
});

describe('secrets', () => {
  const secretRefs = (objects: K8sObject[]) =>
    [...ofKind(objects, 'Deployment'), ...ofKind(objects, 'Job')].flatMap((workload) =>
      podSpecOf(workload).containers.flatMap((c) =>
        (c.env ?? [])
          .filter((e) => e.valueFrom?.secretKeyRef)
          .map((e) => ({
            component: componentOf({ metadata: { labels: podLabelsOf(workload) } }),
            env: e.name,
            name: e.valueFrom!.secretKeyRef!.name,
            key: e.valueFrom!.secretKeyRef!.key,
          })),
      ),
    );

  it('gives each secret only to the components that need it', () => {
    const refs = secretRefs(result.renders.default!);
    const holders = (env: string) =>
      refs
        .filter((r) => r.env === env)
        .map((r) => r.component)
        .sort();
    expect(holders('DATABASE_URL')).toEqual([...SERVICE_NAMES, 'migrations'].sort());
    expect(holders('INTERNAL_AUTH_SECRET')).toEqual(
      ['gateway', 'identity', 'agent', 'mission', 'analytics'].sort(),
    );
    expect(holders('IDENTITY_SIGNING_KEY')).toEqual(['identity']);
    // The web server signs browser addresses with it; only the gateway checks them.
    expect(holders('CLIENT_ADDRESS_SECRET')).toEqual(['gateway', 'web']);
    expect(refs.filter((r) => r.component === 'web').map((r) => r.env)).toEqual([
      'CLIENT_ADDRESS_SECRET',
    ]);
  });

  it('references the chart Secret by default, rendered as a hook before the Job', () => {
    const objects = result.renders.default!;
    const refs = secretRefs(objects);
    expect(new Set(refs.map((r) => r.name))).toEqual(new Set([`${FULLNAME}-secrets`]));
    for (const ref of refs) {
      expect(ref.key).toBe(ref.env);
    }
    const [secret] = ofKind<ISecret>(objects, 'Secret');
    expect(secret?.metadata.name).toBe(`${FULLNAME}-secrets`);
    expect(hookOf(secret!)).toEqual(['pre-install', 'pre-upgrade']);
  });

  it('switches every reference to existingSecret and renders no Secret', () => {
    const objects = result.renders['existing-secret']!;
    const values = valuesOf('existing-secret');
    expect(ofKind(objects, 'Secret')).toEqual([]);
    const refs = secretRefs(objects);
    expect(refs.length).toBeGreaterThan(0);
    const keyOf: Record<string, string> = {
      INTERNAL_AUTH_SECRET: values.secrets.keys.internalAuthSecret!,
      CLIENT_ADDRESS_SECRET: values.secrets.keys.clientAddressSecret!,
      IDENTITY_SIGNING_KEY: values.secrets.keys.identitySigningKey!,
      DATABASE_URL: values.secrets.keys.databaseUrl!,
    };
    for (const ref of refs) {
      expect(ref).toEqual({ ...ref, name: 'platform-mission-control', key: keyOf[ref.env] });
    }
  });

  it('keeps secret values out of every ConfigMap and every other object', () => {
    const objects = result.renders['managed-secrets']!;
    const values = valuesOf('managed-secrets') as Values & {
      secrets: {
        internalAuthSecret: string;
        clientAddressSecret: string;
        identitySigningKey: string;
      };
      postgres: { password: string };
    };
    const sentinels = [
      values.secrets.internalAuthSecret,
      values.secrets.clientAddressSecret,
      values.secrets.identitySigningKey,
      values.postgres.password,
      encodeURIComponent(values.postgres.password),
      'sentinel',
    ];
    const [secret, ...more] = ofKind<ISecret>(objects, 'Secret');
    expect(more).toEqual([]);
    const decoded = Object.fromEntries(
      Object.entries(secret!.data ?? {}).map(([k, v]) => [
        k,
        Buffer.from(v, 'base64').toString('utf8'),
      ]),
    );
    expect(decoded).toEqual({
      INTERNAL_AUTH_SECRET: values.secrets.internalAuthSecret,
      CLIENT_ADDRESS_SECRET: values.secrets.clientAddressSecret,
      IDENTITY_SIGNING_KEY: values.secrets.identitySigningKey,
      DATABASE_URL: `postgresql://mission_control:${encodeURIComponent(values.postgres.password)}@postgresql:5432/mission_control?sslmode=require`,
    });
    for (const object of objects.filter((o) => o.kind !== 'Secret')) {
      const text = JSON.stringify(object);
      for (const sentinel of sentinels) {
        expect({
          object: `${object.kind}/${object.metadata.name}`,
          leaks: text.includes(sentinel),
        }).toEqual({
          object: `${object.kind}/${object.metadata.name}`,
          leaks: false,
        });
      }
    }
  });

  it.each(VARIANTS)('never names a secret key in a ConfigMap (%s values)', (variant) => {
    for (const configMap of ofKind<IConfigMap>(result.renders[variant]!, 'ConfigMap')) {
      expect(Object.keys(configMap.data ?? {}).filter((key) => SECRET_KEYS.includes(key))).toEqual(
        [],
      );
    }
  });
});

describe('optional objects', () => {
  const objects = () => result.renders['all-features']!;

  it('routes /graphql, /socket.io, /api/v1 and /mcp to the gateway and the rest to the web app', () => {
    const [ingress, ...more] = ofKind<IIngress>(objects(), 'Ingress');
    expect(more).toEqual([]);
    const rule = ingress!.spec?.rules?.[0];
    expect(rule?.host).toBe('mc.example.org');
    expect(
      rule?.http?.paths.map((p) => [
        p.path,
        p.pathType,
        p.backend.service?.name,
        p.backend.service?.port?.name,
      ]),
    ).toEqual([
      ['/graphql', 'Prefix', `${FULLNAME}-gateway`, 'http'],
      ['/socket.io', 'Prefix', `${FULLNAME}-gateway`, 'http'],
      ['/api/v1', 'Prefix', `${FULLNAME}-gateway`, 'http'],
      ['/mcp', 'Prefix', `${FULLNAME}-gateway`, 'http'],
      ['/', 'Prefix', `${FULLNAME}-web`, 'http'],
    ]);
    expect(ingress!.spec?.tls).toEqual([
      { hosts: ['mc.example.org'], secretName: `${FULLNAME}-tls` },
    ]);
    expect(ingress!.spec?.ingressClassName).toBe('nginx');
  });

  it('points browsers and CORS at the ingress host', () => {
    const data = (component: string) =>
      ofKind<IConfigMap>(objects(), 'ConfigMap').find((cm) => componentOf(cm) === component)?.data;
    expect(data('web')?.PUBLIC_GATEWAY_URL).toBe('https://mc.example.org');
    expect(data('gateway')?.CORS_ORIGINS).toBe('https://mc.example.org');
  });

  it('renders HPAs for the components that autoscale, on the metrics asked for', () => {
    const hpas = ofKind<IHorizontalPodAutoscaler>(objects(), 'HorizontalPodAutoscaler');
    expect(
      hpas.map((h) => [componentOf(h), h.spec?.minReplicas, h.spec?.maxReplicas]).sort(),
    ).toEqual([
      ['gateway', 3, 10],
      ['identity', 3, 9],
    ]);
    const identity = hpas.find((h) => componentOf(h) === 'identity');
    expect(identity?.spec?.metrics?.map((m) => m.resource?.name)).toEqual(['cpu', 'memory']);
  });

  it('renders a ServiceMonitor per enabled component, on the http port (behind a value: no /metrics yet)', () => {
    type ServiceMonitor = K8sObject & {
      spec: {
        selector: { matchLabels: Record<string, string> };
        endpoints: { port: string; path: string }[];
      };
    };
    const monitors = ofKind<ServiceMonitor>(objects(), 'ServiceMonitor');
    const services = ofKind<IService>(objects(), 'Service');
    expect(monitors.map(componentOf).sort()).toEqual(services.map(componentOf).sort());
    for (const monitor of monitors) {
      expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
      expect(monitor.spec.endpoints).toEqual([{ port: 'http', path: '/metrics', interval: '30s' }]);
      const service = services.find((s) => componentOf(s) === componentOf(monitor));
      expect(selects(monitor.spec.selector.matchLabels, service?.metadata.labels ?? {})).toBe(true);
    }
    expect(ofKind(result.renders.default!, 'ServiceMonitor')).toEqual([]);
  });

  it('leaves a disabled component out entirely', () => {
    expect(objects().filter((o) => componentOf(o) === 'integration')).toEqual([]);
  });
});
