import type { Command } from 'commander';
import {
  ActivateAgentDocument,
  type AgentSummaryFragment,
  AgentsDocument,
  IssueAgentKeyDocument,
  RegisterAgentDocument,
} from '@mission-control/sdk';
import type { CliContext, GlobalOptions, GraphClient } from '../context/cli-context';
import { usageError } from '../errors/usage.error';
import { type Column, renderTable } from '../output/table.renderer';

const AGENT_COLUMNS: Column<AgentSummaryFragment>[] = [
  { header: 'id', value: (a) => a.id },
  { header: 'name', value: (a) => a.name },
  { header: 'role', value: (a) => a.role },
  { header: 'status', value: (a) => a.status },
  { header: 'model', value: (a) => a.model },
  { header: 'activity', value: (a) => a.activity, maxWidth: 40 },
  { header: 'last heartbeat', value: (a) => a.lastHeartbeatAt },
];

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** An agent of the workspace named by its id or its name. */
async function findAgent(client: GraphClient, workspaceId: string, idOrName: string) {
  const { agents } = await client.request(AgentsDocument, { workspaceId });
  const wanted = idOrName.toLowerCase();
  const byName = agents.filter((a) => a.name.toLowerCase() === wanted);
  const found =
    agents.find((a) => a.id === idOrName) ?? (byName.length === 1 ? byName[0] : undefined);
  if (!found) {
    throw usageError(
      byName.length > 1
        ? `${byName.length} agents are named "${idOrName}": give the id`
        : `No agent "${idOrName}" in this workspace: \`mc agents\` lists them`,
    );
  }
  return found;
}

/** `mc agents list|register|key`. */
export function registerAgentsCommands(program: Command, context: CliContext): void {
  const agents = program.command('agents').description("the workspace's agents and their keys");

  agents
    .command('list', { isDefault: true })
    .description('the roster: every agent with its status')
    .action(async (_options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const { agents: roster } = await client.request(AgentsDocument, { workspaceId });
      context.print(globals, roster, () => renderTable(roster, AGENT_COLUMNS));
    });

  agents
    .command('register')
    .argument('<name>', "the agent's name")
    .description('register an agent and activate it (then issue its key with `mc agents key`)')
    .option('-r, --role <role>', 'its role in the squad', 'specialist')
    .option('--capability <capability>', 'what it can do (repeat for more)', collect)
    .option('--model <model>', 'the model it runs')
    .option('--provider <provider>', "the model's provider")
    .option('--inactive', 'leave it inactive (it cannot sign in until activated)')
    .action(
      async (
        name: string,
        options: {
          role: string;
          capability?: string[];
          model?: string;
          provider?: string;
          inactive?: boolean;
        },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const { client, workspaceId } = await context.workspaceClient(globals);
        let { registerAgent: agent } = await client.request(RegisterAgentDocument, {
          workspaceId,
          input: {
            name,
            role: options.role,
            capabilities: options.capability,
            model: options.model,
            provider: options.provider,
          },
        });
        if (!options.inactive) {
          agent = (await client.request(ActivateAgentDocument, { workspaceId, id: agent.id }))
            .activateAgent;
        }
        context.print(
          globals,
          agent,
          () =>
            `Registered agent ${agent.name} (${agent.id}), ${agent.status}. Issue its key: mc agents key ${agent.id}\n`,
        );
      },
    );

  agents
    .command('key')
    .argument('<agent>', "the agent's id or name")
    .description('issue the agent a new key (shown once; the key it had stops working)')
    .action(async (idOrName: string, _options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const agent = await findAgent(client, workspaceId, idOrName);
      const { issueAgentKey } = await client.request(IssueAgentKeyDocument, {
        workspaceId,
        agentId: agent.id,
      });
      if (globals.json) {
        context.print(globals, issueAgentKey, () => '');
        return;
      }
      context.note(
        `A new key for ${issueAgentKey.agent.name} (${agent.id}). It is shown this once; the previous key no longer works.`,
      );
      // Only the key on stdout, so `KEY=$(mc agents key scout)` works.
      context.out(`${issueAgentKey.key}\n`);
    });
}
