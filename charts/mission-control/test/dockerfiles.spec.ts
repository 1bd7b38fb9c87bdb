import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { APPS, type AppName, APP_NAMES, portKey } from './support/app-config';
import { DEPLOY_DIR, REPO_ROOT } from './support/paths';

type Instruction = { op: string; args: string; line: number };
type Stage = { name: string; from: string; instructions: Instruction[] };
type Dockerfile = { args: Record<string, string>; stages: Stage[] };

const DOCKER_DIR = path.join(DEPLOY_DIR, 'docker');

/** Enough of the Dockerfile grammar for these rules: continuations, comments, stages, ARGs. */
function parseDockerfile(file: string): Dockerfile {
  const lines = readFileSync(file, 'utf8').split('\n');
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let text = lines[i]!;
    if (/^\s*(#|$)/.test(text)) {
      continue;
    }
    while (text.endsWith('\\') && i + 1 < lines.length) {
      text = `${text.slice(0, -1)} ${lines[++i]!.trim()}`;
    }
    const [, op, args] = /^\s*(\S+)\s*(.*)$/.exec(text)!;
    instructions.push({ op: op!.toUpperCase(), args: args!.trim(), line: start + 1 });
  }
  const result: Dockerfile = { args: {}, stages: [] };
  for (const instruction of instructions) {
    if (instruction.op === 'FROM') {
      const [, from, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(instruction.args)!;
      const resolved = from!.replace(/\$\{(\w+)\}/g, (_, key: string) => result.args[key] ?? '');
      result.stages.push({
        name: name ?? String(result.stages.length),
        from: resolved,
        instructions: [],
      });
    } else if (result.stages.length === 0) {
      if (instruction.op === 'ARG') {
        const [key, value = ''] = instruction.args.split('=');
        result.args[key!] = value;
      }
    } else {
      result.stages.at(-1)!.instructions.push(instruction);
    }
  }
  return result;
}

const all = (stage: Stage, op: string) => stage.instructions.filter((i) => i.op === op);
const installs = (stage: Stage) =>
  all(stage, 'RUN').filter((run) => /\bnpm\s+(ci|install|i)\b/.test(run.args));
const copiesFrom = (stage: Stage) =>
  all(stage, 'COPY')
    .map((copy) => /--from=(\S+)\s+(.+)\s+(\S+)$/.exec(copy.args))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, from, sources, target]) => ({
      from: from!,
      sources: sources!.split(/\s+/),
      target: target!,
    }));
const envOf = (stage: Stage) =>
  Object.fromEntries(
    all(stage, 'ENV').flatMap((env) =>
      env.args.split(/\s+/).map((pair) => pair.split('=') as [string, string]),
    ),
  );

const appDir = (app: AppName) => (app === 'gateway' || app === 'web' ? app : `services/${app}`);
const IMAGES = [...APP_NAMES, 'migrations'] as const;

describe.each<AppName | 'migrations'>(IMAGES)('deploy/docker/%s.Dockerfile', (image) => {
  const file = path.join(DOCKER_DIR, `${image}.Dockerfile`);
  const dockerfile = () => parseDockerfile(file);
  const runtime = () => dockerfile().stages.at(-1)!;

  it('is a multi-stage build on a slim Node image', () => {
    const { stages } = dockerfile();
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(runtime().name).toBe('runtime');
    for (const stage of stages) {
      expect(stage.from).toMatch(/^node:20(\.\d+)*-bookworm-slim$/);
    }
  });

  it('runs as a numeric non-root user (Kubernetes can verify runAsNonRoot)', () => {
    const users = all(runtime(), 'USER');
    expect(users.length).toBeGreaterThan(0);
    const [uid, gid] = users.at(-1)!.args.split(':');
    expect(Number(uid)).toBeGreaterThan(0);
    expect(Number(gid ?? uid)).toBeGreaterThan(0);
    const start = runtime().instructions.findIndex((i) => i.op === 'CMD' || i.op === 'ENTRYPOINT');
    expect(runtime().instructions.indexOf(users.at(-1)!)).toBeLessThan(start);
  });

  it('has no HEALTHCHECK (the orchestrator probes /health and /ready)', () => {
    expect(dockerfile().stages.flatMap((stage) => all(stage, 'HEALTHCHECK'))).toEqual([]);
  });

  it('ships production dependencies only', () => {
    const { stages } = dockerfile();
    const byName = new Map(stages.map((stage) => [stage.name, stage]));
    // The final image installs nothing and writes nothing: no RUN, no VOLUME.
    expect(all(runtime(), 'RUN')).toEqual([]);
    expect(all(runtime(), 'VOLUME')).toEqual([]);
    for (const copy of copiesFrom(runtime())) {
      const source = byName.get(copy.from);
      expect(source).toBeDefined();
      const fullInstall = installs(source!).some((run) => !run.args.includes('--omit=dev'));
      if (fullInstall) {
        // A stage with dev dependencies: only build output and assembled runtime folders.
        for (const from of copy.sources) {
          expect({
            from,
            ok: /^\/(runtime|app\/web\/(\.next\/standalone|\.next\/static|public))$/.test(from),
          }).toEqual({
            from,
            ok: true,
          });
        }
      } else {
        for (const run of installs(source!)) {
          expect(run.args).toMatch(/\bnpm ci\b.*--omit=dev/);
          expect(run.args).toContain('--ignore-scripts');
        }
      }
    }
  });

  it('has its own .dockerignore, the shared one', () => {
    const ignore = `${file}.dockerignore`;
    expect(existsSync(ignore)).toBe(true);
    expect(realpathSync(ignore)).toBe(realpathSync(path.join(DOCKER_DIR, '.dockerignore')));
  });

  if (image === 'migrations') {
    it('runs the migrations of every service and listens on nothing', () => {
      expect(all(runtime(), 'EXPOSE')).toEqual([]);
      expect(all(runtime(), 'ENTRYPOINT').at(-1)?.args).toBe(
        '["node", "deploy/docker/migrate.mjs"]',
      );
      expect(installs(dockerfile().stages.find((s) => s.name === 'prod-deps')!)[0]?.args).toMatch(
        /-w libs\/database$/,
      );
    });
    return;
  }

  const app = image;
  it(`exposes the app's default port (${APPS[app].port}) and sets it`, () => {
    expect(all(runtime(), 'EXPOSE').map((e) => e.args)).toEqual([String(APPS[app].port)]);
    const env = envOf(runtime());
    expect(env.NODE_ENV).toBe('production');
    expect(env[portKey(app)]).toBe(String(APPS[app].port));
    expect(env[app === 'web' ? 'HOSTNAME' : 'HOST']).toBe('0.0.0.0');
  });

  it('starts the app the way its package does', () => {
    const manifest = JSON.parse(
      readFileSync(path.join(REPO_ROOT, appDir(app), 'package.json'), 'utf8'),
    ) as {
      nx?: { name?: string };
      scripts: Record<string, string>;
    };
    const cmd = all(runtime(), 'CMD').at(-1)?.args;
    const workdir = all(runtime(), 'WORKDIR').at(-1)?.args;
    const build = dockerfile().stages[0]!;
    expect(
      all(build, 'RUN').some((run) => run.args.includes(`nx run ${manifest.nx?.name}:build`)),
    ).toBe(true);
    if (app === 'web') {
      // Next.js standalone: server.js under the app's folder, static assets beside it.
      expect(cmd).toBe('["node", "web/server.js"]');
      expect(workdir).toBe('/app');
      expect(copiesFrom(runtime()).map((c) => [c.sources.join(' '), c.target])).toEqual([
        ['/app/web/.next/standalone', './'],
        ['/app/web/.next/static', './web/.next/static'],
        ['/app/web/public', './web/public'],
      ]);
    } else {
      expect(manifest.scripts.start).toBe('node dist/main.js');
      expect(cmd).toBe('["node", "dist/main.js"]');
      expect(workdir).toBe(`/app/${appDir(app)}`);
      const prodDeps = dockerfile().stages.find((s) => s.name === 'prod-deps')!;
      expect(installs(prodDeps)[0]?.args).toMatch(new RegExp(`-w ${appDir(app)}$`));
      expect(
        all(build, 'RUN').some((run) =>
          run.args.includes(`workspaces.mjs runtime ${appDir(app)} /runtime`),
        ),
      ).toBe(true);
    }
  });
});

describe('image assembly (deploy/docker/workspaces.mjs)', () => {
  const runtimeWorkspaces = (app: string) => {
    const run = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { runtimeWorkspaces } from ${JSON.stringify(path.join(DOCKER_DIR, 'workspaces.mjs'))};` +
          `console.log(JSON.stringify(runtimeWorkspaces(${JSON.stringify(app)})));`,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    return JSON.parse(run.stdout) as string[];
  };

  it.each(APP_NAMES.filter((app) => app !== 'web'))(
    'ships %s with every workspace package it depends on, and no test helpers',
    (app) => {
      const dirs = runtimeWorkspaces(appDir(app));
      expect(dirs[0]).toBe(appDir(app));
      expect(dirs).toContain('libs/config');
      expect(dirs).toContain('libs/platform');
      expect(dirs).not.toContain('libs/testing');
      const manifest = JSON.parse(
        readFileSync(path.join(REPO_ROOT, appDir(app), 'package.json'), 'utf8'),
      ) as {
        dependencies: Record<string, string>;
      };
      for (const dep of Object.keys(manifest.dependencies).filter((d) =>
        d.startsWith('@mission-control/'),
      )) {
        const dir = dirs.find(
          (d) =>
            (
              JSON.parse(readFileSync(path.join(REPO_ROOT, d, 'package.json'), 'utf8')) as {
                name: string;
              }
            ).name === dep,
        );
        expect({ dep, shipped: dir !== undefined }).toEqual({ dep, shipped: true });
      }
    },
  );

  it('keeps what the images need in the build context', () => {
    const ignore = readFileSync(path.join(DOCKER_DIR, '.dockerignore'), 'utf8')
      .split('\n')
      .filter((line) => line && !line.startsWith('#'));
    for (const excluded of [
      '**/node_modules',
      '**/dist',
      '**/.next',
      '.git',
      '.env',
      '**/src/generated',
    ]) {
      expect(ignore).toContain(excluded);
    }
    for (const needed of [
      'package-lock.json',
      'gateway/supergraph.graphql',
      'services',
      'charts',
      'nx.json',
    ]) {
      expect(ignore.some((rule) => rule === needed || needed.startsWith(`${rule}/`))).toBe(false);
    }
  });
});
