import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { MissionControlError } from '@mission-control/sdk';

/** A person signed in with email and password: the session's tokens, rotated on every refresh. */
export type PersonAuth = {
  kind: 'person';
  userId: string;
  email: string;
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
  /** The workspace the access token acts in (null: none yet). */
  tokenWorkspaceId: string | null;
};

/** An agent's key; tokens are exchanged from it on every run of `mc`. */
export type AgentAuth = { kind: 'agent'; agentKey: string; agentId: string; workspaceId: string };

export type CliConfig = {
  gatewayUrl?: string;
  auth?: PersonAuth | AgentAuth;
  workspace?: { id: string; name: string };
};

export type ConfigEnv = Partial<Record<'MC_CONFIG_DIR' | 'XDG_CONFIG_HOME' | 'HOME', string>>;

/** `$MC_CONFIG_DIR`, else `$XDG_CONFIG_HOME/mission-control`, else `~/.config/mission-control`. */
export function configDir(env: ConfigEnv = process.env): string {
  if (env.MC_CONFIG_DIR) {
    return path.resolve(env.MC_CONFIG_DIR);
  }
  const base = env.XDG_CONFIG_HOME || path.join(env.HOME || homedir(), '.config');
  return path.join(base, 'mission-control');
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The config file: read once per command, written whole (it holds secrets: mode 0600). */
export class ConfigStore {
  readonly file: string;

  constructor(readonly dir: string = configDir()) {
    this.file = path.join(dir, 'config.json');
  }

  load(): CliConfig {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return {};
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    if (!isRecord(parsed)) {
      throw new MissionControlError({
        code: 'VALIDATION_ERROR',
        message: `${this.file} is not a JSON object: fix or delete it, then sign in again`,
      });
    }
    return parsed;
  }

  save(config: CliConfig): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    // Written beside and renamed over: a crash mid-write never leaves half a refresh token.
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.file);
  }

  update(change: (config: CliConfig) => CliConfig): CliConfig {
    const next = change(this.load());
    this.save(next);
    return next;
  }
}
