import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'mc.js');

export type McResult = { code: number | null; stdout: string; stderr: string };

export type McProcess = {
  /** What it printed so far. */
  readonly stdout: string;
  readonly stderr: string;
  readonly exited: Promise<McResult>;
  kill(): void;
};

/** The built `mc` as a person types it: its own config folder, no gateway in the environment. */
export class McUser {
  readonly configDir = mkdtempSync(path.join(tmpdir(), 'mc-cli-'));

  start(args: string[], input?: string): McProcess {
    const env: NodeJS.ProcessEnv = { ...process.env, MC_CONFIG_DIR: this.configDir };
    delete env.MC_GATEWAY_URL;
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.end(input ?? '');
    const exited = new Promise<McResult>((resolve) =>
      child.once('close', (code) => resolve({ code, stdout, stderr })),
    );
    return {
      get stdout() {
        return stdout;
      },
      get stderr() {
        return stderr;
      },
      exited,
      kill: () => child.kill('SIGKILL'),
    };
  }

  run(args: string[], input?: string): Promise<McResult> {
    return this.start(args, input).exited;
  }

  /** Runs a read with `--json` and parses its answer; fails with stderr when it did not exit 0. */
  async json<T>(args: string[], input?: string): Promise<T> {
    const result = await this.run([...args, '--json'], input);
    if (result.code !== 0) {
      throw new Error(`mc ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    }
    return JSON.parse(result.stdout) as T;
  }
}
