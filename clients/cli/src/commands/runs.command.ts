import type { Command } from 'commander';
import {
  LiveConnection,
  type LiveConnectionOptions,
  type LiveEvent,
  RunDetailDocument,
  RunLogDocument,
  type RunStatus,
  RunsDocument,
  type RunSummaryFragment,
} from '@mission-control/sdk';
import type { CliContext, GlobalOptions, GraphClient } from '../context/cli-context';
import { usageError } from '../errors/usage.error';
import { type Column, renderFields, renderTable } from '../output/table.renderer';
import { RunLogTail, type TailLine, linesOfEvent } from '../runs/run-log-tail';
import { parseLimit } from './missions.command';

const STATUSES: readonly RunStatus[] = [
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'CANCELLED',
  'TIMED_OUT',
  'ABANDONED',
];

const RUN_COLUMNS: Column<RunSummaryFragment>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'mission', value: (r) => r.missionId },
  { header: 'agent', value: (r) => r.agentId },
  { header: 'status', value: (r) => r.status },
  { header: 'model', value: (r) => r.model },
  { header: 'tokens', value: (r) => r.inputTokens + r.outputTokens },
  { header: 'cost usd', value: (r) => `${r.costUsd.toFixed(4)}${r.costEstimated ? '~' : ''}` },
  { header: 'started', value: (r) => r.startedAt },
];

const LOG_PAGE = 1000;

/** `mc runs list|show|tail`. */
export function registerRunsCommands(program: Command, context: CliContext): void {
  const runs = program.command('runs').description('runs: the work agents do on missions');

  runs
    .command('list', { isDefault: true })
    .description('runs newest first, narrowed to a mission, an agent or a status')
    .option('--mission <missionId>', "only this mission's runs")
    .option('--agent <agentId>', "only this agent's runs")
    .option('--status <status>', `only runs ${STATUSES.join(', ')}`)
    .option('-n, --limit <n>', 'runs per page (1-100)', '20')
    .option('--after <cursor>', 'the next page (the endCursor printed under the last)')
    .action(
      async (
        options: {
          mission?: string;
          agent?: string;
          status?: string;
          limit: string;
          after?: string;
        },
        command: Command,
      ) => {
        const globals = command.optsWithGlobals<GlobalOptions>();
        const status = options.status?.toUpperCase() as RunStatus | undefined;
        if (status && !STATUSES.includes(status)) {
          throw usageError(`Unknown status "${options.status}": one of ${STATUSES.join(', ')}`);
        }
        const first = parseLimit(options.limit, 100);
        const { client, workspaceId } = await context.workspaceClient(globals);
        const { runs: page } = await client.request(RunsDocument, {
          workspaceId,
          missionId: options.mission ?? null,
          agentId: options.agent ?? null,
          status: status ?? null,
          first,
          after: options.after ?? null,
        });
        context.print(
          globals,
          page,
          () =>
            renderTable(page.nodes, RUN_COLUMNS) +
            (page.pageInfo.hasNextPage ? `next page: --after ${page.pageInfo.endCursor}\n` : ''),
        );
      },
    );

  runs
    .command('show')
    .argument('<runId>')
    .description("a run's status, usage, cost and summary")
    .action(async (runId: string, _options: object, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId } = await context.workspaceClient(globals);
      const { run } = await client.request(RunDetailDocument, { workspaceId, id: runId });
      context.print(globals, run, () =>
        renderFields([
          ['ID', run.id],
          ['Mission', run.missionId],
          ['Agent', run.agentId],
          ['Status', run.status],
          [
            'Progress',
            run.progressNote
              ? `${run.progressNote}${run.progressPercent === null ? '' : ` (${run.progressPercent} %)`}`
              : null,
          ],
          ['Adapter', run.adapter],
          ['Model', `${run.model} (${run.provider}, ${run.billing})`],
          [
            'Tokens',
            `${run.inputTokens} in (${run.cachedInputTokens} cached), ${run.outputTokens} out`,
          ],
          ['Cost USD', `${run.costUsd.toFixed(4)}${run.costEstimated ? ' (estimated)' : ''}`],
          ['Log lines', run.logLines],
          ['Budget', run.budgetId],
          ['Started', run.startedAt],
          ['Finished', run.finishedAt],
          ['Summary', run.summary],
        ]),
      );
    });

  runs
    .command('tail')
    .argument('<runId>')
    .description("print a run's log and follow it live until the run ends")
    .option('--no-follow', 'print the log so far and stop')
    .action(async (runId: string, options: { follow: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const { client, workspaceId, url } = await context.workspaceClient(globals);
      const status = await tailRun(context, {
        client,
        workspaceId,
        url,
        runId,
        follow: options.follow,
        json: globals.json === true,
      });
      if (!globals.json) {
        context.note(
          `mc: run ${runId} ${status === 'RUNNING' ? 'is still running' : `ended ${status}`}`,
        );
      }
    });
}

type TailOptions = {
  client: GraphClient;
  workspaceId: string;
  url: string;
  runId: string;
  follow: boolean;
  json: boolean;
  /** The socket.io client (a stand-in in specs). */
  socketFactory?: LiveConnectionOptions['socketFactory'];
};

/**
 * Prints the run's log (ANSI colours as they are; stderr lines on stderr) and, following, what is
 * appended live until the run ends. The socket connects before the log is read, so no line falls
 * between the read and the push; on a reconnect the SDK resumes from the last event's position.
 */
export async function tailRun(context: CliContext, options: TailOptions): Promise<RunStatus> {
  const { client, workspaceId, runId } = options;
  const tail = new RunLogTail((line: TailLine) => {
    if (options.json) {
      context.out(`${JSON.stringify(line)}\n`);
    } else if (line.stream === 'STDERR') {
      context.io.stderr.write(`${line.text}\n`);
    } else {
      context.out(`${line.text}\n`);
    }
  });

  /** Reads every line after the last printed; answers the run's status. */
  const catchUp = async (): Promise<RunStatus> => {
    for (;;) {
      const { run } = await client.request(RunLogDocument, {
        workspaceId,
        id: runId,
        after: tail.position,
        first: LOG_PAGE,
      });
      tail.accept(run.log.lines);
      if (!run.log.hasMore) {
        return run.status;
      }
    }
  };

  if (!options.follow) {
    return catchUp();
  }

  let finished: (status: RunStatus) => void = () => {};
  let failed: (error: unknown) => void = () => {};
  const done = new Promise<RunStatus>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  // Events and reads are handled one after another, in the order they came.
  let queue: Promise<unknown> = Promise.resolve();
  const enqueue = (work: () => Promise<unknown>) => {
    queue = queue.then(work).catch(failed);
  };
  const ofThisRun = (event: LiveEvent) =>
    event.data?.runId === runId || event.subject === `run-${runId}` || event.subject === runId;
  const live = new LiveConnection({
    url: options.url,
    token: () => client.accessToken(),
    invalidate: (token) => client.invalidate(token),
    watch: [`run-${runId}`],
    socketFactory: options.socketFactory,
    reconnectMinMs: 100,
    // A refused key or session will not come right by reconnecting: stop with its error.
    onError: (error) => {
      if (!error.retryable) {
        failed(error);
      }
    },
    onEvent: (event) => {
      if (!ofThisRun(event)) {
        return;
      }
      if (event.type === 'mission.v1.RunLogAppended') {
        const lines = linesOfEvent(event.data);
        enqueue(async () => {
          if (tail.accept(lines).gap) {
            await catchUp();
          }
        });
      } else if (event.type === 'mission.v1.RunFinished') {
        // The last lines were appended before the run ended: read them, then stop.
        enqueue(async () => finished(await catchUp()));
      }
    },
  });
  try {
    await live.connect();
    enqueue(async () => {
      const status = await catchUp();
      if (status !== 'RUNNING') {
        finished(status);
      }
    });
    return await done;
  } finally {
    live.close();
  }
}
