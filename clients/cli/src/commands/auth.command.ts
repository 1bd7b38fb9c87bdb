import type { Command } from 'commander';
import {
  AgentsDocument,
  isMissionControlError,
  MeDocument,
  MissionControlError,
  PersonClient,
} from '@mission-control/sdk';
import { prompter, readAll } from '../auth/prompt';
import { tokenClaims } from '../auth/token-claims';
import type { CliConfig } from '../config/cli-config';
import type { CliContext, GlobalOptions } from '../context/cli-context';
import { usageError } from '../errors/usage.error';
import { renderFields } from '../output/table.renderer';

type LoginOptions = { email?: string; passwordStdin?: boolean; agentKey?: string | true };

/** `mc login`, `mc logout`, `mc whoami`. */
export function registerAuthCommands(program: Command, context: CliContext): void {
  program
    .command('login')
    .description('sign in to a gateway as a person (email and password) or as an agent (its key)')
    .option('--email <email>', 'your email (asked for when not given)')
    .option('--password-stdin', 'read the password from stdin instead of asking for it')
    .option(
      '--agent-key [key]',
      'sign in as an agent with its key (read from stdin without a value)',
    )
    .action(async (options: LoginOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      if (options.agentKey !== undefined) {
        await agentLogin(context, globals, options.agentKey);
      } else {
        await personLogin(context, globals, options);
      }
    });

  program
    .command('logout')
    .description('end the session on the server and forget its tokens (or the agent key)')
    .action(async (_options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = context.store.load();
      if (config.auth?.kind === 'person') {
        const client = context.personClient(context.gatewayUrl(globals, config), config.auth);
        try {
          await client.logOut();
        } catch (error) {
          // An ended session or an unreachable gateway: forgetting the tokens is what matters.
          if (!isMissionControlError(error)) {
            throw error;
          }
          context.note(
            `mc: the server did not confirm the log-out (${error.code}); tokens forgotten`,
          );
        }
      }
      context.store.update(({ auth: _auth, ...rest }) => rest);
      context.note(config.auth ? 'Signed out.' : 'Not signed in.');
    });

  program
    .command('whoami')
    .description('who you are signed in as, where, and in which workspace')
    .action(async (_options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, config, url } = await context.client(globals);
      const auth = config.auth!;
      if (auth.kind === 'agent') {
        const { agents } = await client.request(AgentsDocument, { workspaceId: auth.workspaceId });
        const agent = agents.find((a) => a.id === auth.agentId);
        const answer = {
          kind: 'agent',
          gatewayUrl: url,
          agentId: auth.agentId,
          name: agent?.name ?? null,
          status: agent?.status ?? null,
          workspaceId: auth.workspaceId,
        };
        context.print(globals, answer, () =>
          renderFields([
            ['Agent', `${answer.name ?? '?'} (${answer.agentId})`],
            ['Status', answer.status],
            ['Workspace', answer.workspaceId],
            ['Gateway', url],
          ]),
        );
        return;
      }
      const { me } = await client.request(MeDocument, {});
      const current = me.memberships.find((m) => m.workspace.id === config.workspace?.id) ?? null;
      const answer = {
        kind: 'person',
        gatewayUrl: url,
        userId: me.id,
        email: me.email,
        name: me.name,
        workspace: current ? { ...current.workspace, role: current.role } : null,
      };
      context.print(globals, answer, () =>
        renderFields([
          ['User', `${me.name} <${me.email}>`],
          [
            'Workspace',
            current
              ? `${current.workspace.name} (${current.workspace.id}) as ${current.role}`
              : null,
          ],
          ['Gateway', url],
        ]),
      );
    });
}

async function personLogin(context: CliContext, globals: GlobalOptions, options: LoginOptions) {
  const { io } = context;
  // A bad gateway is said before a password is typed for it.
  const config = context.store.load();
  const url = context.gatewayUrl(globals, config);
  const interactive = io.stdin.isTTY === true;
  const prompts = interactive && !(options.email && options.passwordStdin) ? prompter(io) : null;
  let email = options.email;
  let password: string;
  try {
    email ??= prompts ? (await prompts.ask('Email: ')).trim() : undefined;
    if (!email) {
      throw usageError('Pass --email (and the password on stdin with --password-stdin)');
    }
    if (options.passwordStdin) {
      password = await readAll(io.stdin);
    } else if (prompts) {
      password = await prompts.ask('Password: ', true);
    } else {
      throw usageError(
        'No terminal to ask for the password: pass it on stdin with --password-stdin',
      );
    }
  } finally {
    prompts?.close();
  }
  if (!password) {
    throw usageError('The password is empty');
  }
  const session = await PersonClient.logIn(url, email, password).catch((error: unknown) => {
    throw isMissionControlError(error, 'UNAUTHENTICATED')
      ? new MissionControlError({
          code: 'UNAUTHENTICATED',
          message: `Sign-in refused: ${error.message}`,
          requestId: error.requestId,
        })
      : error;
  });
  const signedIn: CliConfig = {
    ...config,
    gatewayUrl: url,
    auth: {
      kind: 'person',
      userId: session.user.id,
      email: session.user.email,
      accessToken: session.accessToken,
      accessTokenExpiresAt: session.accessTokenExpiresAt,
      refreshToken: session.refreshToken,
      tokenWorkspaceId: null,
    },
  };
  context.store.save(signedIn);
  if (config.auth?.kind === 'person') {
    // The session this one replaces would otherwise live on, unused, until it expires.
    await context
      .personClient(config.gatewayUrl ?? url, config.auth)
      .logOut()
      .catch(() => false);
  }
  const client = context.personClient(
    url,
    signedIn.auth as Extract<CliConfig['auth'], { kind: 'person' }>,
  );
  const { me } = await client.request(MeDocument, {});
  // The workspace asked for, else the one used last (if still a member), else the only one.
  const chosen = globals.workspace
    ? await context.membership(client, globals.workspace)
    : (me.memberships.find((m) => m.workspace.id === config.workspace?.id) ??
      (me.memberships.length === 1 ? me.memberships[0] : undefined));
  if (chosen) {
    await context.switchWorkspace(client, chosen.workspace.id);
  }
  context.store.update(({ workspace: _workspace, ...rest }) =>
    chosen
      ? { ...rest, workspace: { id: chosen.workspace.id, name: chosen.workspace.name } }
      : rest,
  );
  const answer = {
    kind: 'person',
    gatewayUrl: url,
    userId: me.id,
    email: me.email,
    workspace: chosen ? { ...chosen.workspace, role: chosen.role } : null,
    workspaces: me.memberships.length,
  };
  context.print(
    globals,
    answer,
    () =>
      [
        `Signed in to ${url} as ${me.name} <${me.email}>.`,
        chosen
          ? `Workspace: ${chosen.workspace.name} (${chosen.workspace.id}) as ${chosen.role}.`
          : me.memberships.length
            ? 'Choose a workspace: `mc workspaces` lists them, `mc workspaces use <id|name>` picks one.'
            : 'You are not a member of any workspace yet.',
      ].join('\n') + '\n',
  );
}

async function agentLogin(context: CliContext, globals: GlobalOptions, given: string | true) {
  const config = context.store.load();
  const url = context.gatewayUrl(globals, config);
  const agentKey = given === true ? (await readAll(context.io.stdin)).trim() : given.trim();
  if (!agentKey) {
    throw usageError('The agent key is empty');
  }
  // A key just issued works a moment later: wait for it as the SDK does.
  const client = context.agentClient(url, { agentKey }, 10_000);
  const claims = tokenClaims(await client.accessToken());
  if (!claims?.workspaceId) {
    throw new MissionControlError({
      code: 'INTERNAL_ERROR',
      message: 'The gateway answered a token that names no workspace',
    });
  }
  context.store.save({
    ...config,
    gatewayUrl: url,
    auth: { kind: 'agent', agentKey, agentId: claims.subject, workspaceId: claims.workspaceId },
  });
  const answer = {
    kind: 'agent',
    gatewayUrl: url,
    agentId: claims.subject,
    workspaceId: claims.workspaceId,
  };
  context.print(
    globals,
    answer,
    () => `Signed in to ${url} as agent ${claims.subject} (workspace ${claims.workspaceId}).\n`,
  );
}
