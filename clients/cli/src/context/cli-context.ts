import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import {
  MeDocument,
  type MeQuery,
  MissionControlClient,
  MissionControlError,
  PersonClient,
  type RetryPolicy,
} from '@mission-control/sdk';
import type { AgentAuth, CliConfig, ConfigStore, PersonAuth } from '../config/cli-config';
import { withConfigLock } from '../config/config-lock';
import { usageError } from '../errors/usage.error';
import { renderJson } from '../output/table.renderer';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';

/** The options every command takes (declared on the program, readable from any subcommand). */
export type GlobalOptions = { gateway?: string; workspace?: string; json?: boolean };

export type CliIo = {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
};

/** What commands need of a signed-in client, a person's or an agent's. */
export type GraphClient = {
  request<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult>;
  accessToken(): Promise<string>;
  invalidate(token: string): void;
};

export type Membership = MeQuery['me']['memberships'][number];

// A command line waits a little for a busy or restarting gateway, not minutes.
const CLI_RETRY: Partial<RetryPolicy> = { attempts: 3, initialDelayMs: 200, maxDelayMs: 2_000 };

const USER_AGENT = 'mission-control-cli/0.1.0';

// Longer than PersonClient's own margin (30 s): a command refreshes under the lock, not mid-way.
const REFRESH_AHEAD_MS = 60_000;

/** One run of `mc`: its streams, its config file, and the signed-in client commands ask for. */
export class CliContext {
  constructor(
    readonly io: CliIo,
    readonly store: ConfigStore,
  ) {}

  out(text: string): void {
    this.io.stdout.write(text);
  }

  /** Notes for the person at the terminal; stdout stays the answer. */
  note(text: string): void {
    this.io.stderr.write(`${text}\n`);
  }

  /** A read's answer: JSON with `--json`, else the human rendering. */
  print(options: GlobalOptions, value: unknown, human: () => string): void {
    this.out(options.json ? renderJson(value) : human());
  }

  /** `--gateway`, else MC_GATEWAY_URL, else the configured one, else the local default. */
  gatewayUrl(options: GlobalOptions, config: CliConfig = this.store.load()): string {
    const url = options.gateway ?? this.io.env.MC_GATEWAY_URL ?? config.gatewayUrl;
    return normalizeUrl(url ?? DEFAULT_GATEWAY_URL);
  }

  /** The signed-in client (`mc login` first), acting in no particular workspace. */
  async client(
    options: GlobalOptions,
  ): Promise<{ client: GraphClient; config: CliConfig; url: string }> {
    let config = this.store.load();
    const url = this.gatewayUrl(options, config);
    const auth = config.auth;
    if (!auth) {
      throw notSignedIn();
    }
    if (auth.kind === 'agent') {
      return { client: this.agentClient(url, auth), config, url };
    }
    const fresh = await this.freshPersonAuth(url, auth);
    config = { ...config, auth: fresh };
    return { client: this.personClient(url, fresh), config, url };
  }

  /**
   * The session's tokens, refreshed first when the access token is about to expire. Under the
   * config lock, and re-read once it is held: of several `mc` running at once, one refreshes and
   * the others take its tokens, since presenting a used refresh token ends the whole session.
   */
  private async freshPersonAuth(url: string, auth: PersonAuth): Promise<PersonAuth> {
    const fresh = (candidate: PersonAuth) =>
      Date.parse(candidate.accessTokenExpiresAt) - Date.now() > REFRESH_AHEAD_MS;
    if (fresh(auth)) {
      return auth;
    }
    return withConfigLock(this.store.dir, async () => {
      const current = this.store.load().auth;
      const latest = current?.kind === 'person' && current.userId === auth.userId ? current : auth;
      if (fresh(latest)) {
        return latest;
      }
      const client = this.personClient(url, latest);
      await client.accessToken();
      return { ...latest, ...client.tokens };
    });
  }

  /** The signed-in client acting in the chosen workspace (`--workspace`, else the current one). */
  async workspaceClient(
    options: GlobalOptions,
  ): Promise<{ client: GraphClient; workspaceId: string; url: string }> {
    const { client, config, url } = await this.client(options);
    const auth = config.auth!;
    if (auth.kind === 'agent') {
      if (options.workspace && options.workspace !== auth.workspaceId) {
        throw usageError(`An agent acts only in its own workspace (${auth.workspaceId})`);
      }
      return { client, workspaceId: auth.workspaceId, url };
    }
    const person = client as PersonClient;
    let workspaceId = config.workspace?.id;
    if (options.workspace && options.workspace !== workspaceId) {
      workspaceId = (await this.membership(person, options.workspace)).workspace.id;
    }
    if (!workspaceId) {
      throw usageError(
        'No workspace chosen: run `mc workspaces use <id|name>` or pass --workspace',
      );
    }
    if (auth.tokenWorkspaceId !== workspaceId) {
      await this.switchWorkspace(person, workspaceId);
    }
    return { client, workspaceId, url };
  }

  /** The signed-in person's membership of a workspace named by its id, name or slug. */
  async membership(client: PersonClient, idOrName: string): Promise<Membership> {
    const { me } = await client.request(MeDocument, {});
    const wanted = idOrName.toLowerCase();
    const found =
      me.memberships.find((m) => m.workspace.id === idOrName) ??
      me.memberships.find(
        (m) => m.workspace.name.toLowerCase() === wanted || m.workspace.slug === wanted,
      );
    if (!found) {
      throw usageError(
        `You are not a member of a workspace "${idOrName}": \`mc workspaces\` lists yours`,
      );
    }
    return found;
  }

  /** Points the session at a workspace; later refreshes keep it. */
  async switchWorkspace(client: PersonClient, workspaceId: string): Promise<void> {
    await client.switchWorkspace(workspaceId);
    this.store.update((config) =>
      config.auth?.kind === 'person'
        ? { ...config, auth: { ...config.auth, tokenWorkspaceId: workspaceId } }
        : config,
    );
  }

  personClient(url: string, auth: PersonAuth): PersonClient {
    return new PersonClient({
      url,
      tokens: auth,
      userAgent: USER_AGENT,
      retry: CLI_RETRY,
      // Each refresh token works once: the new pair must be on disk before it is used.
      onTokens: (tokens) => {
        this.store.update((config) =>
          config.auth?.kind === 'person'
            ? { ...config, auth: { ...config.auth, ...tokens } }
            : config,
        );
      },
    });
  }

  agentClient(url: string, auth: Pick<AgentAuth, 'agentKey'>, newKeyGraceMs = 0): GraphClient {
    const client = new MissionControlClient({
      url,
      agentKey: auth.agentKey,
      userAgent: USER_AGENT,
      retry: CLI_RETRY,
      newKeyGraceMs,
    });
    return {
      request: (document, variables) => client.request(document, variables),
      accessToken: () => client.accessToken(),
      invalidate: (token) => client.tokens.invalidate(token),
    };
  }
}

export function normalizeUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError(`The gateway URL "${url}" is not a URL (e.g. ${DEFAULT_GATEWAY_URL})`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw usageError(`The gateway URL must be http or https, not ${parsed.protocol}`);
  }
  return parsed.origin;
}

function notSignedIn() {
  return new MissionControlError({
    code: 'UNAUTHENTICATED',
    message: 'Not signed in: run `mc login` first',
  });
}
