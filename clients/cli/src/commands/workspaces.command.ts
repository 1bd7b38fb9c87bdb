import type { Command } from 'commander';
import { MeDocument, MissionControlError, type PersonClient } from '@mission-control/sdk';
import type { CliContext, GlobalOptions } from '../context/cli-context';
import { renderTable } from '../output/table.renderer';

/** `mc workspaces` (list) and `mc workspaces use <id|name>`. */
export function registerWorkspacesCommands(program: Command, context: CliContext): void {
  const workspaces = program
    .command('workspaces')
    .description('the workspaces you are a member of; `use` picks the current one');

  workspaces
    .command('list', { isDefault: true })
    .description('list your workspaces (the current one marked *)')
    .action(async (_options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, config } = await context.client(globals);
      const person = asPerson(client, config.auth?.kind);
      const { me } = await person.request(MeDocument, {});
      const rows = me.memberships.map((m) => ({
        id: m.workspace.id,
        name: m.workspace.name,
        slug: m.workspace.slug,
        role: m.role,
        current: m.workspace.id === config.workspace?.id,
      }));
      context.print(globals, rows, () =>
        renderTable(rows, [
          { header: '', value: (row) => (row.current ? '*' : ' ') },
          { header: 'id', value: (row) => row.id },
          { header: 'name', value: (row) => row.name },
          { header: 'slug', value: (row) => row.slug },
          { header: 'role', value: (row) => row.role },
        ]),
      );
    });

  workspaces
    .command('use')
    .argument('<workspace>', "the workspace's id, name or slug")
    .description('act in this workspace from now on')
    .action(async (idOrName: string, _options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, config } = await context.client(globals);
      const person = asPerson(client, config.auth?.kind);
      const membership = await context.membership(person, idOrName);
      await context.switchWorkspace(person, membership.workspace.id);
      context.store.update((current) => ({
        ...current,
        workspace: { id: membership.workspace.id, name: membership.workspace.name },
      }));
      const answer = { ...membership.workspace, role: membership.role };
      context.print(
        globals,
        answer,
        () =>
          `Now in ${membership.workspace.name} (${membership.workspace.id}) as ${membership.role}.\n`,
      );
    });
}

function asPerson(client: unknown, kind: string | undefined): PersonClient {
  if (kind !== 'person') {
    throw new MissionControlError({
      code: 'FORBIDDEN',
      message: 'An agent belongs to one workspace: workspaces are for people (`mc login`)',
    });
  }
  return client as PersonClient;
}
