import { z } from 'zod';
import { DEFAULT_PROMPT_TEMPLATE } from '../work/mission-prompt';
import {
  type AdapterEvent,
  type AdapterOutcome,
  type ProcessAdapter,
  readJsonLine,
  exitOutcome,
  logLines,
  oneLine,
  type OutputParser,
  type ProcessExit,
  todoProgress,
} from './adapter';

export const codexAdapterOptions = z.strictObject({
  /** The `codex` executable (a path, or a name looked up in PATH). */
  executable: z.string().min(1).default('codex'),
  /** Passed as `--model`, and the model the server prices the tokens at. */
  model: z.string().min(1).default('gpt-5-codex'),
  /** Passed as `--sandbox` (read-only, workspace-write, danger-full-access). */
  sandbox: z.string().min(1).optional(),
  /** More arguments, before the prompt. */
  args: z.array(z.string()).default([]),
  promptTemplate: z.string().min(1).default(DEFAULT_PROMPT_TEMPLATE),
  env: z.record(z.string(), z.string()).default({}),
  /** A command's output is shown up to this many lines. */
  commandOutputLines: z.number().int().min(0).default(20),
});
export type CodexAdapterOptions = z.input<typeof codexAdapterOptions>;

// `codex exec --json` writes one event a line (JSONL); unread fields are let through, and event
// or item kinds this version does not know are skipped.
const item = z.looseObject({
  id: z.string().optional(),
  type: z.string(),
  text: z.string().optional(),
  command: z.string().optional(),
  aggregated_output: z.string().optional(),
  exit_code: z.number().int().nullish(),
  status: z.string().optional(),
  changes: z.array(z.looseObject({ path: z.string(), kind: z.string() })).optional(),
  server: z.string().optional(),
  tool: z.string().optional(),
  query: z.string().optional(),
  message: z.string().optional(),
  items: z.array(z.looseObject({ text: z.string(), completed: z.boolean() })).optional(),
});
const usage = z.looseObject({
  input_tokens: z.number().int().min(0),
  cached_input_tokens: z.number().int().min(0).default(0),
  output_tokens: z.number().int().min(0),
});
const event = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('thread.started'), thread_id: z.string() }),
  z.looseObject({ type: z.literal('turn.started') }),
  z.looseObject({ type: z.literal('turn.completed'), usage }),
  z.looseObject({
    type: z.literal('turn.failed'),
    error: z.looseObject({ message: z.string() }),
  }),
  z.looseObject({ type: z.literal('item.started'), item }),
  z.looseObject({ type: z.literal('item.updated'), item }),
  z.looseObject({ type: z.literal('item.completed'), item }),
  z.looseObject({ type: z.literal('error'), message: z.string() }),
]);
const KNOWN = new Set([
  'thread.started',
  'turn.started',
  'turn.completed',
  'turn.failed',
  'item.started',
  'item.updated',
  'item.completed',
  'error',
]);

type Item = z.infer<typeof item>;

const CHANGE_MARK: Record<string, string> = { add: 'A', delete: 'D', update: 'M' };

/** Pure reading of `codex exec --json` output; usage is priced by the server at `model`. */
export function codexParser(
  options: { model?: string; commandOutputLines?: number } = {},
): OutputParser {
  const model = options.model ?? 'gpt-5-codex';
  const maxLines = options.commandOutputLines ?? 20;
  let turns = 0;
  let failure: string | null = null;
  let lastMessage = '';
  let completed = false;

  const todos = (it: Item): AdapterEvent[] =>
    it.type === 'todo_list'
      ? todoProgress((it.items ?? []).map((todo) => ({ text: todo.text, done: todo.completed })))
      : [];

  const started = (it: Item): AdapterEvent[] => {
    if (it.type === 'command_execution' && it.command !== undefined) {
      return [{ type: 'log', stream: 'system', text: `$ ${it.command}` }];
    }
    return todos(it);
  };

  const done = (it: Item): AdapterEvent[] => {
    switch (it.type) {
      case 'agent_message':
        lastMessage = it.text ?? lastMessage;
        return logLines('stdout', it.text ?? '');
      case 'reasoning':
        return [{ type: 'log', stream: 'system', text: `thinking: ${oneLine(it.text ?? '')}` }];
      case 'command_execution': {
        const lines = (it.aggregated_output ?? '').split(/\r\n|\r|\n/);
        while (lines.length > 0 && lines.at(-1) === '') {
          lines.pop();
        }
        const failed = (it.exit_code ?? 0) !== 0 || it.status === 'failed';
        const events: AdapterEvent[] = lines
          .slice(0, maxLines)
          .map((line) => ({ type: 'log', stream: 'stdout', text: `  ${line}` }));
        if (lines.length > maxLines) {
          events.push({
            type: 'log',
            stream: 'system',
            text: `  … ${lines.length - maxLines} more lines`,
          });
        }
        events.push({
          type: 'log',
          stream: failed ? 'stderr' : 'system',
          text: `exit code ${it.exit_code ?? '?'}: ${oneLine(it.command ?? '')}`,
        });
        return events;
      }
      case 'file_change':
        return (it.changes ?? []).map((change) => ({
          type: 'log',
          stream: 'system',
          text: `${CHANGE_MARK[change.kind] ?? change.kind} ${change.path}`,
        }));
      case 'mcp_tool_call':
        return [
          {
            type: 'log',
            stream: it.status === 'failed' ? 'stderr' : 'system',
            text: `→ ${it.server ?? '?'}.${it.tool ?? '?'} (${it.status ?? '?'})`,
          },
        ];
      case 'web_search':
        return [{ type: 'log', stream: 'system', text: `search: ${oneLine(it.query ?? '')}` }];
      case 'todo_list':
        return [
          ...(it.items ?? []).map((todo) => ({
            type: 'log' as const,
            stream: 'system' as const,
            text: `[${todo.completed ? 'x' : ' '}] ${todo.text}`,
          })),
          ...todos(it),
        ];
      case 'error':
        return [{ type: 'log', stream: 'stderr', text: `error: ${it.message ?? ''}` }];
      default:
        return [];
    }
  };

  return {
    line(stream, text) {
      const read = readJsonLine(stream, text, { tool: 'Codex', noun: 'event' });
      if (Array.isArray(read)) {
        return read;
      }
      const { type, value } = read;
      if (!KNOWN.has(type)) {
        return [];
      }
      const parsed = event.safeParse(value);
      if (!parsed.success) {
        return [
          {
            type: 'invalid',
            error: `Codex's ${type} event is not as documented: ${oneLine(z.prettifyError(parsed.error))}`,
          },
        ];
      }
      const e = parsed.data;
      switch (e.type) {
        case 'thread.started':
          return [{ type: 'log', stream: 'system', text: `Codex thread ${e.thread_id}` }];
        case 'turn.started':
          turns += 1;
          return [{ type: 'log', stream: 'system', text: `turn ${turns}` }];
        case 'turn.completed':
          completed = true;
          return [
            {
              type: 'usage',
              usage: {
                model,
                inputTokens: e.usage.input_tokens,
                cachedInputTokens: e.usage.cached_input_tokens,
                outputTokens: e.usage.output_tokens,
              },
            },
          ];
        case 'turn.failed':
          failure = e.error.message;
          return [
            { type: 'log', stream: 'stderr', text: `turn failed: ${e.error.message}` },
            { type: 'result', result: { outcome: 'FAILED', summary: e.error.message } },
          ];
        case 'error':
          failure = failure ?? e.message;
          return [{ type: 'log', stream: 'stderr', text: `error: ${e.message}` }];
        case 'item.started':
          return started(e.item);
        case 'item.updated':
          return todos(e.item);
        case 'item.completed':
          return done(e.item);
      }
    },
    end(exit: ProcessExit): AdapterOutcome {
      if (failure !== null) {
        return { outcome: 'FAILED', summary: failure };
      }
      if (exit.code !== 0) {
        return exitOutcome(exit, 'Codex');
      }
      if (!completed) {
        return { outcome: 'FAILED', summary: 'Codex exited without completing a turn' };
      }
      return { outcome: 'SUCCEEDED', summary: lastMessage.trim() || 'Done' };
    },
  };
}

/** `codex exec --json`, the prompt as its argument; the server prices the usage. */
export function codexAdapter(input: CodexAdapterOptions = {}): ProcessAdapter {
  const options = codexAdapterOptions.parse(input);
  return {
    name: 'codex',
    run: { adapter: 'codex', model: options.model, provider: 'openai' },
    promptTemplate: options.promptTemplate,
    command(brief) {
      return {
        command: options.executable,
        args: [
          'exec',
          '--json',
          '--model',
          options.model,
          '--cd',
          brief.workFolder,
          '--skip-git-repo-check',
          ...(options.sandbox ? ['--sandbox', options.sandbox] : []),
          ...options.args,
          brief.prompt,
        ],
        env: options.env,
      };
    },
    parser: () =>
      codexParser({ model: options.model, commandOutputLines: options.commandOutputLines }),
  };
}
