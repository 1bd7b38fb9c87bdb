import { type Command, Option } from 'commander';
import {
  type BudgetPeriod,
  type BudgetSummaryFragment,
  BudgetsDocument,
  SetBudgetDocument,
} from '@mission-control/sdk';
import type { CliContext, GlobalOptions } from '../context/cli-context';
import { usageError } from '../errors/usage.error';
import { type Column, renderFields, renderTable } from '../output/table.renderer';

const limitText = (spent: number, limit: number | null, digits: number) =>
  limit === null
    ? `${spent.toFixed(digits)} / -`
    : `${spent.toFixed(digits)} / ${limit.toFixed(digits)}`;

const BUDGET_COLUMNS: Column<BudgetSummaryFragment>[] = [
  { header: 'id', value: (b) => b.id },
  { header: 'name', value: (b) => b.name, maxWidth: 32 },
  { header: 'agent', value: (b) => b.agentId ?? 'workspace' },
  { header: 'period', value: (b) => b.period },
  { header: 'usd spent/limit', value: (b) => limitText(b.spentUsd, b.costLimitUsd, 2) },
  { header: 'tokens spent/limit', value: (b) => limitText(b.spentTokens, b.tokenLimit, 0) },
  { header: 'standing', value: (b) => b.standing },
];

function number(name: string) {
  return (value: string) => {
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) {
      throw usageError(`${name} must be a number of at least 0`);
    }
    return parsed;
  };
}

/** `mc budget` (list), `mc budget show <id|name>`, `mc budget set` (admins). */
export function registerBudgetCommands(program: Command, context: CliContext): void {
  const budget = program
    .command('budget')
    .description("the workspace's budgets: limits that stop work");

  budget
    .command('list', { isDefault: true })
    .description('every budget in force with what its period has spent')
    .action(async (_options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const { budgets } = await client.request(BudgetsDocument, { workspaceId });
      context.print(globals, budgets, () => renderTable(budgets, BUDGET_COLUMNS));
    });

  budget
    .command('show')
    .argument('<budget>', "the budget's id or name")
    .description('one budget')
    .action(async (idOrName: string, _options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const { budgets } = await client.request(BudgetsDocument, { workspaceId });
      const found =
        budgets.find((b) => b.id === idOrName) ??
        budgets.find((b) => b.name.toLowerCase() === idOrName.toLowerCase());
      if (!found) {
        throw usageError(`No budget "${idOrName}": \`mc budget\` lists them`);
      }
      context.print(globals, found, () =>
        renderFields([
          ['ID', found.id],
          ['Name', found.name],
          ['Agent', found.agentId ?? 'the whole workspace'],
          ['Period', `${found.period}${found.periodEndsAt ? ` (ends ${found.periodEndsAt})` : ''}`],
          ['USD', limitText(found.spentUsd, found.costLimitUsd, 4)],
          ['Tokens', limitText(found.spentTokens, found.tokenLimit, 0)],
          ['Warn at', `${found.warnPercent} %`],
          ['Standing', found.standing],
        ]),
      );
    });

  budget
    .command('set')
    .description('create a budget, or change one with --id (admins)')
    .requiredOption('--name <name>', "the budget's name")
    .addOption(
      new Option('--period <period>', 'how long its spend adds up')
        .choices(['day', 'month', 'total'])
        .makeOptionMandatory(),
    )
    .option('--cost-limit <usd>', 'a money limit in US dollars', number('--cost-limit'))
    .option(
      '--token-limit <tokens>',
      'a limit of input plus output tokens',
      number('--token-limit'),
    )
    .option(
      '--warn-percent <percent>',
      'warn at this share of a limit (default 80)',
      number('--warn-percent'),
    )
    .option('--agent <agentId>', "count only this agent's runs")
    .option('--id <budgetId>', 'change this budget instead of creating one')
    .action(
      async (
        options: {
          name: string;
          period: string;
          costLimit?: number;
          tokenLimit?: number;
          warnPercent?: number;
          agent?: string;
          id?: string;
        },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const { client, workspaceId } = await context.workspaceClient(globals);
        const { setBudget } = await client.request(SetBudgetDocument, {
          workspaceId,
          input: {
            budgetId: options.id,
            agentId: options.agent,
            name: options.name,
            period: options.period.toUpperCase() as BudgetPeriod,
            costLimitUsd: options.costLimit,
            tokenLimit: options.tokenLimit,
            warnPercent: options.warnPercent,
          },
        });
        context.print(
          globals,
          setBudget,
          () => `Budget ${setBudget.name} (${setBudget.id}): ${setBudget.standing}.\n`,
        );
      },
    );
}
