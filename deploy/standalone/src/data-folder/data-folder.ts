import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, platform, userInfo } from 'node:os';
import path from 'node:path';
import { generateSigningKey } from '@mission-control/auth';

/** What one installation keeps between runs, made once on its first start. */
export type InstanceSecrets = {
  INTERNAL_AUTH_SECRET: string;
  /** The web server signs each browser's address with it for the gateway (login limits). */
  CLIENT_ADDRESS_SECRET: string;
  IDENTITY_SIGNING_KEY: string;
  POSTGRES_PASSWORD: string;
};

export type DataFolder = {
  dir: string;
  postgresDir: string;
  secrets: InstanceSecrets;
  /** Gives the folder up for the next run. */
  release(): void;
};

/**
 * Where data lives when MC_DATA_DIR does not say: the user's data folder of the platform. Root gets
 * /var/lib: Postgres refuses to run as root, and the user it runs as could not enter /root.
 */
export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  if (platform() === 'win32') {
    return path.join(
      env.LOCALAPPDATA ?? path.join(homedir(), 'AppData', 'Local'),
      'mission-control',
    );
  }
  if (platform() === 'darwin') {
    return path.join(homedir(), 'Library', 'Application Support', 'mission-control');
  }
  if (userInfo().uid === 0) {
    return '/var/lib/mission-control';
  }
  return path.join(env.XDG_DATA_HOME || path.join(homedir(), '.local', 'share'), 'mission-control');
}

/** Thrown when another live process already runs on the data folder. */
export class DataFolderInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `${dir} is in use by another Mission Control (pid ${pid}); stop it, or choose another folder with MC_DATA_DIR`,
    );
    this.name = 'DataFolderInUseError';
  }
}

/** Whether a process with this pid exists (one we may not signal counts too). */
export const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Claims the folder for this process (one instance per folder: two would share one database
 * cluster) and loads its secrets, generating them on the first run. A lock left by a process that
 * is gone is taken over.
 */
export async function openDataFolder(dir: string): Promise<DataFolder> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const lock = path.join(dir, 'standalone.pid');
  try {
    writeFileSync(lock, String(process.pid), { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw error;
    }
    const holder = Number(readFileSync(lock, 'utf8'));
    if (holder && holder !== process.pid && processAlive(holder)) {
      throw new DataFolderInUseError(dir, holder);
    }
    writeFileSync(lock, String(process.pid));
  }
  return {
    dir,
    postgresDir: path.join(dir, 'postgres'),
    secrets: await loadSecrets(path.join(dir, 'secrets.json')),
    release: () => rmSync(lock, { force: true }),
  };
}

async function loadSecrets(file: string): Promise<InstanceSecrets> {
  let kept: Partial<InstanceSecrets> | undefined;
  try {
    kept = JSON.parse(readFileSync(file, 'utf8')) as Partial<InstanceSecrets>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new Error(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  // A folder from an older version lacks the secrets added since: make those, keep the rest.
  const secrets: InstanceSecrets = {
    INTERNAL_AUTH_SECRET: kept?.INTERNAL_AUTH_SECRET ?? randomBytes(32).toString('base64url'),
    CLIENT_ADDRESS_SECRET: kept?.CLIENT_ADDRESS_SECRET ?? randomBytes(32).toString('base64url'),
    IDENTITY_SIGNING_KEY: kept?.IDENTITY_SIGNING_KEY ?? JSON.stringify(await generateSigningKey()),
    POSTGRES_PASSWORD: kept?.POSTGRES_PASSWORD ?? randomBytes(24).toString('base64url'),
  };
  if (Object.keys(secrets).some((key) => kept?.[key as keyof InstanceSecrets] === undefined)) {
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
