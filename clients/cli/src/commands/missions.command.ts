import { type Command, Option } from 'commander';
import {
  AddCommentDocument,
  type BoardColumn,
  BoardColumnPageDocument,
  BoardPageDocument,
  CreateMissionDocument,
  type MissionPriority,
  MissionDetailDocument,
  type MissionSummaryFragment,
  PlaceMissionDocument,
} from '@mission-control/sdk';
import type { CliContext, GlobalOptions } from '../context/cli-context';
import { usageError } from '../errors/usage.error';
import { type Column, renderFields, renderTable } from '../output/table.renderer';

export const COLUMNS: readonly BoardColumn[] = [
  'BACKLOG',
  'TODO',
  'IN_PROGRESS',
  'REVIEW',
  'DONE',
  'BLOCKED',
];
const PRIORITIES: readonly MissionPriority[] = ['LOW', 'MEDIUM', 'HIGH', 'URGENT'];

const MISSION_COLUMNS: Column<MissionSummaryFragment>[] = [
  { header: 'id', value: (m) => m.id },
  { header: 'title', value: (m) => m.title, maxWidth: 48 },
  { header: 'column', value: (m) => m.column },
  { header: 'priority', value: (m) => m.priority },
  { header: 'assignee', value: (m) => m.assigneeAgentId },
  { header: 'tags', value: (m) => m.tags },
];

/** A board column as typed: `in-progress`, `In progress` and `IN_PROGRESS` are the same. */
export function parseColumn(value: string): BoardColumn {
  const column = value
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_') as BoardColumn;
  if (!COLUMNS.includes(column)) {
    throw usageError(`Unknown column "${value}": one of ${COLUMNS.join(', ')}`);
  }
  return column;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

type ListOptions = {
  column?: string[];
  tag?: string[];
  assignee?: string;
  limit: string;
  after?: string;
};

export function parseLimit(value: string, max: number): number {
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw usageError(`--limit must be a whole number from 1 to ${max}`);
  }
  return limit;
}

/** `mc missions list|create|show|move|comment`. */
export function registerMissionsCommands(program: Command, context: CliContext): void {
  const missions = program.command('missions').description("the workspace's missions and board");

  missions
    .command('list', { isDefault: true })
    .description('missions by column in rank order; page one column with --column and --after')
    .option('-c, --column <column>', 'only this column (repeat for more)', collect)
    .option('-t, --tag <tag>', 'only missions with this tag (repeat: any of them)', collect)
    .option('--assignee <agentId>', 'only missions assigned to this agent')
    .option('-n, --limit <n>', 'missions per column (1-200)', '50')
    .option('--after <cursor>', 'the next page of one --column (its endCursor)')
    .action(async (options: ListOptions, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const limit = parseLimit(options.limit, 200);
      const columns = (options.column ?? []).map(parseColumn);
      if (options.after && columns.length !== 1) {
        throw usageError('--after pages one column: pass exactly one --column with it');
      }
      const { client, workspaceId } = await context.workspaceClient(globals);
      const pages =
        columns.length === 1
          ? [
              (
                await client.request(BoardColumnPageDocument, {
                  workspaceId,
                  column: columns[0]!,
                  first: limit,
                  after: options.after ?? null,
                })
              ).boardColumn,
            ]
          : (
              await client.request(BoardPageDocument, { workspaceId, perColumn: limit })
            ).board.columns.filter((c) => !columns.length || columns.includes(c.column));
      const keep = (m: MissionSummaryFragment) =>
        (!options.tag?.length || m.tags.some((tag) => options.tag!.includes(tag))) &&
        (!options.assignee || m.assigneeAgentId === options.assignee);
      const result = pages.map((page) => ({ ...page, missions: page.missions.filter(keep) }));
      context.print(globals, { columns: result }, () => {
        const rows = result.flatMap((page) => page.missions);
        const more = result
          .filter((page) => page.pageInfo.hasNextPage)
          .map(
            (page) =>
              `${page.column}: ${page.totalCount} in all; next page: mc missions list --column ${page.column} --after ${page.pageInfo.endCursor}`,
          );
        return renderTable(rows, MISSION_COLUMNS) + (more.length ? `${more.join('\n')}\n` : '');
      });
    });

  missions
    .command('create')
    .argument('<title>', "the mission's title")
    .description('create a mission')
    .option('-d, --description <markdown>', 'what to do, in Markdown')
    .addOption(
      new Option('-p, --priority <priority>', 'how urgent').choices(
        PRIORITIES.map((p) => p.toLowerCase()),
      ),
    )
    .option('-t, --tag <tag>', 'a tag (repeat for more)', collect)
    .option('-c, --column <column>', 'where it starts (default Backlog)')
    .action(
      async (
        title: string,
        options: { description?: string; priority?: string; tag?: string[]; column?: string },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const column = options.column ? parseColumn(options.column) : undefined;
        const { client, workspaceId } = await context.workspaceClient(globals);
        const { createMission } = await client.request(CreateMissionDocument, {
          workspaceId,
          input: {
            title,
            description: options.description,
            priority: options.priority?.toUpperCase() as MissionPriority | undefined,
            tags: options.tag,
            column,
          },
        });
        context.print(
          globals,
          createMission,
          () => `Created mission ${createMission.id} in ${createMission.column}.\n`,
        );
      },
    );

  missions
    .command('show')
    .argument('<missionId>')
    .description('a mission with its description and comments')
    .action(async (missionId: string, _options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const { mission } = await client.request(MissionDetailDocument, {
        workspaceId,
        id: missionId,
      });
      context.print(globals, mission, () => {
        const head = renderFields([
          ['ID', mission.id],
          ['Title', mission.title],
          ['Column', mission.column],
          ['Priority', mission.priority],
          ['Tags', mission.tags],
          ['Assignee', mission.assigneeAgentId],
          ['Claimed by', mission.claimedBy],
          [
            'Active run',
            mission.activeRun ? `${mission.activeRun.id} (${mission.activeRun.status})` : null,
          ],
          ['Created', mission.createdAt],
        ]);
        const description = mission.description ? `\n${mission.description}\n` : '';
        const comments = mission.comments.length
          ? `\nComments:\n${mission.comments
              .map(
                (c) =>
                  `  ${c.createdAt} ${c.authorKind}:${c.author}\n    ${c.body.replace(/\n/g, '\n    ')}`,
              )
              .join('\n')}\n`
          : '';
        return head + description + comments;
      });
    });

  missions
    .command('move')
    .argument('<missionId>')
    .argument('<column>', `one of ${COLUMNS.join(', ')}`)
    .description('move a mission to a column (at its end, or next to another mission)')
    .option('--before <missionId>', 'place it just before this mission')
    .option('--after <missionId>', 'place it just after this mission')
    .action(
      async (
        missionId: string,
        columnName: string,
        options: { before?: string; after?: string },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const column = parseColumn(columnName);
        const { client, workspaceId } = await context.workspaceClient(globals);
        const { moveMission } = await client.request(PlaceMissionDocument, {
          workspaceId,
          missionId,
          column,
          beforeId: options.before ?? null,
          afterId: options.after ?? null,
        });
        context.print(
          globals,
          moveMission,
          () => `Moved ${moveMission.id} to ${moveMission.column}.\n`,
        );
      },
    );

  missions
    .command('comment')
    .argument('<missionId>')
    .argument('<body...>', 'the comment (Markdown; @name mentions)')
    .description('comment on a mission')
    .action(async (missionId: string, body: string[], _options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const { addComment } = await client.request(AddCommentDocument, {
        workspaceId,
        missionId,
        body: body.join(' '),
      });
      context.print(globals, addComment, () => `Commented on ${missionId} (${addComment.id}).\n`);
    });
}
