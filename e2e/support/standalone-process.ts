import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@mission-control/testing';

const root = path.resolve(__dirname, '..', '..');

export type StandaloneProcess = {
  url: string;
  /** Everything it printed, for failure messages and for what it says (the demo's sign-in). */
  output: string[];
  child: ChildProcess;
  /** SIGTERM, then the exit code once it is gone (SIGKILL after 30 s: the test fails on its code). */
  stop(): Promise<number | null>;
};

/** A data folder of its own, which the `postgres` user may pass through when tests run as root. */
export function freshDataDir(): string {
  const parent = mkdtempSync(path.join(tmpdir(), 'mc-standalone-'));
  chmodSync(parent, 0o755);
  return path.join(parent, 'data');
}

/**
 * `npm start` as a person runs it (scripts/start.mjs, on the build nx made before the suite), on a
 * free port and the given data folder, with `env` added to the environment; resolves once it
 * prints that it is ready.
 */
export async function startStandalone(
  dataDir: string,
  options: { port?: number; args?: string[]; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<StandaloneProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['scripts/start.mjs', ...(options.args ?? [])], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ...options.env,
      PORT: String(port),
      MC_DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(`not ready after ${options.timeoutMs ?? 120_000} ms:\n${output.join('')}`),
        ),
      options.timeoutMs ?? 120_000,
    );
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('] ready: open ')) {
          clearTimeout(timer);
          resolve();
        }
      });
    }
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before it was ready:\n${output.join('')}`));
    });
  });
  await ready;
  return {
    url: `http://127.0.0.1:${port}`,
    output,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await exited;
      clearTimeout(kill);
      return code;
    },
  };
}
