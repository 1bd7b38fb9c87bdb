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

export const claudeCodeAdapterOptions = z.strictObject({
  /** The `claude` executable (a path, or a name looked up in PATH). */
  executable: z.string().min(1).default('claude'),
  /** Passed as `--model`; Claude Code's own default without it. */
  model: z.string().min(1).optional(),
  /** Passed as `--permission-mode` (e.g. acceptEdits, bypassPermissions). */
  permissionMode: z.string().min(1).optional(),
  /** More arguments, before the prompt (e.g. `--allowedTools`, `--max-turns`). */
  args: z.array(z.string()).default([]),
  promptTemplate: z.string().min(1).default(DEFAULT_PROMPT_TEMPLATE),
  env: z.record(z.string(), z.string()).default({}),
  /** Tool results are shown up to this many lines each. */
  toolResultLines: z.number().int().min(0).default(20),
});
export type ClaudeCodeAdapterOptions = z.input<typeof claudeCodeAdapterOptions>;

// The stream-json messages (`claude -p --output-format stream-json --verbose`): one JSON object a
// line; fields not read here are let through, new message types are skipped.
const textBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const thinkingBlock = z.looseObject({ type: z.literal('thinking'), thinking: z.string() });
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.unknown(),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))])
    .optional(),
  is_error: z.boolean().optional(),
});
const otherBlock = z.looseObject({ type: z.string() });
// The TodoWrite tool's input: the agent's plan, shown as the run's progress.
const todoList = z.looseObject({
  todos: z.array(
    z.looseObject({ content: z.string(), status: z.string(), activeForm: z.string().optional() }),
  ),
});
const contentBlocks = z.union([
  z.string(),
  z.array(z.union([textBlock, thinkingBlock, toolUseBlock, toolResultBlock, otherBlock])),
]);

const usageShape = z.looseObject({
  input_tokens: z.number().int().min(0).default(0),
  output_tokens: z.number().int().min(0).default(0),
  cache_read_input_tokens: z.number().int().min(0).nullish(),
  cache_creation_input_tokens: z.number().int().min(0).nullish(),
});

const systemMessage = z.looseObject({
  type: z.literal('system'),
  subtype: z.string(),
  model: z.string().optional(),
  session_id: z.string().optional(),
  cwd: z.string().optional(),
  tools: z.array(z.string()).optional(),
});
const assistantMessage = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({ model: z.string().optional(), content: contentBlocks }),
});
const userMessage = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: contentBlocks }),
});
const resultMessage = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  num_turns: z.number().int().min(0).optional(),
  duration_ms: z.number().optional(),
  result: z.string().optional(),
  total_cost_usd: z.number().min(0).optional(),
  usage: usageShape.optional(),
  modelUsage: z.record(z.string(), z.unknown()).optional(),
});

type ToolUse = z.infer<typeof toolUseBlock>;

/** The argument a person would want to see of a tool call: the command, the file, the pattern. */
function toolSummary(tool: ToolUse): string {
  const input = tool.input;
  if (input && typeof input === 'object') {
    const fields = input as Record<string, unknown>;
    const todos = todoList.safeParse(input);
    if (todos.success) {
      const done = todos.data.todos.filter((todo) => todo.status === 'completed').length;
      return `${done}/${todos.data.todos.length} done`;
    }
    for (const key of ['command', 'file_path', 'path', 'pattern', 'url', 'query', 'description']) {
      if (typeof fields[key] === 'string') {
        return oneLine(fields[key]);
      }
    }
  }
  return oneLine(input);
}

function resultText(content: z.infer<typeof toolResultBlock>['content']): string {
  if (content === undefined) {
    return '';
  }
  if (typeof content === 'string') {
    return content;
  }
  return content.map((part) => part.text ?? `[${part.type}]`).join('\n');
}

type State = {
  model: string | null;
  tools: Map<string, string>;
  result: AdapterOutcome | null;
};

/** Pure reading of Claude Code's stream-json output. */
export function claudeCodeParser(
  options: { model?: string; toolResultLines?: number } = {},
): OutputParser {
  const state: State = { model: options.model ?? null, tools: new Map(), result: null };
  const maxLines = options.toolResultLines ?? 20;

  const blocks = (content: z.infer<typeof contentBlocks>): AdapterEvent[] => {
    if (typeof content === 'string') {
      return logLines('stdout', content);
    }
    const events: AdapterEvent[] = [];
    for (const block of content) {
      const text = textBlock.safeParse(block);
      if (text.success) {
        events.push(...logLines('stdout', text.data.text));
        continue;
      }
      const thinking = thinkingBlock.safeParse(block);
      if (thinking.success) {
        events.push({
          type: 'log',
          stream: 'system',
          text: `thinking: ${oneLine(thinking.data.thinking)}`,
        });
        continue;
      }
      const tool = toolUseBlock.safeParse(block);
      if (tool.success) {
        state.tools.set(tool.data.id, tool.data.name);
        events.push({
          type: 'log',
          stream: 'system',
          text: `→ ${tool.data.name}: ${toolSummary(tool.data)}`,
        });
        const todos = todoList.safeParse(tool.data.input);
        if (tool.data.name === 'TodoWrite' && todos.success) {
          events.push(
            ...todoProgress(
              todos.data.todos.map((todo) => ({
                text:
                  todo.status === 'in_progress' ? (todo.activeForm ?? todo.content) : todo.content,
                done: todo.status === 'completed',
                active: todo.status === 'in_progress',
              })),
            ),
          );
        }
        continue;
      }
      const result = toolResultBlock.safeParse(block);
      if (result.success) {
        const name = state.tools.get(result.data.tool_use_id) ?? 'tool';
        const failed = result.data.is_error === true;
        const lines = resultText(result.data.content).split(/\r\n|\r|\n/);
        while (lines.length > 0 && lines.at(-1) === '') {
          lines.pop();
        }
        const shown = lines.slice(0, maxLines);
        events.push({
          type: 'log',
          stream: failed ? 'stderr' : 'system',
          text: `← ${name}${failed ? ' failed' : ''}: ${lines.length} line${lines.length === 1 ? '' : 's'}`,
        });
        for (const line of shown) {
          events.push({ type: 'log', stream: failed ? 'stderr' : 'stdout', text: `  ${line}` });
        }
        if (lines.length > shown.length) {
          events.push({
            type: 'log',
            stream: 'system',
            text: `  … ${lines.length - shown.length} more lines`,
          });
        }
      }
    }
    return events;
  };

  const result = (message: z.infer<typeof resultMessage>): AdapterEvent[] => {
    const usage = message.usage;
    const cacheRead = usage?.cache_read_input_tokens ?? 0;
    const cacheWrite = usage?.cache_creation_input_tokens ?? 0;
    const model =
      Object.keys(message.modelUsage ?? {})[0] ?? state.model ?? options.model ?? 'claude';
    const failed = message.is_error || message.subtype !== 'success';
    state.result = {
      outcome: failed ? 'FAILED' : 'SUCCEEDED',
      summary: message.result?.trim() || (failed ? `Claude Code: ${message.subtype}` : 'Done'),
    };
    const cost = message.total_cost_usd;
    const events: AdapterEvent[] = [
      {
        type: 'log',
        stream: failed ? 'stderr' : 'system',
        text: `result: ${message.subtype}${message.is_error ? ' (error)' : ''}, ${message.num_turns ?? '?'} turns${cost !== undefined ? `, $${cost.toFixed(4)}` : ''}`,
      },
      { type: 'result', result: state.result },
    ];
    if (usage || cost !== undefined) {
      events.unshift({
        type: 'usage',
        usage: {
          model,
          // The API's input counts cached reads and cache writes too; Claude's does not.
          inputTokens: (usage?.input_tokens ?? 0) + cacheRead + cacheWrite,
          cachedInputTokens: cacheRead,
          outputTokens: usage?.output_tokens ?? 0,
          ...(cost !== undefined ? { costUsd: cost } : {}),
        },
      });
    }
    return events;
  };

  return {
    line(stream, text) {
      const read = readJsonLine(stream, text, { tool: 'Claude Code', noun: 'message' });
      if (Array.isArray(read)) {
        return read;
      }
      const { type, value } = read;
      const refused = (error: z.ZodError): AdapterEvent => ({
        type: 'invalid',
        error: `Claude Code's ${type} message is not as documented: ${oneLine(z.prettifyError(error))}`,
      });
      switch (type) {
        case 'system': {
          const parsed = systemMessage.safeParse(value);
          if (!parsed.success) {
            return [refused(parsed.error)];
          }
          if (parsed.data.subtype === 'init') {
            state.model = parsed.data.model ?? state.model;
            return [
              {
                type: 'log',
                stream: 'system',
                text: `Claude Code session ${parsed.data.session_id ?? '?'}: model ${parsed.data.model ?? '?'}, ${parsed.data.tools?.length ?? 0} tools`,
              },
            ];
          }
          return [{ type: 'log', stream: 'system', text: `system: ${parsed.data.subtype}` }];
        }
        case 'assistant': {
          const parsed = assistantMessage.safeParse(value);
          if (!parsed.success) {
            return [refused(parsed.error)];
          }
          state.model = parsed.data.message.model ?? state.model;
          return blocks(parsed.data.message.content);
        }
        case 'user': {
          const parsed = userMessage.safeParse(value);
          return parsed.success ? blocks(parsed.data.message.content) : [refused(parsed.error)];
        }
        case 'result': {
          const parsed = resultMessage.safeParse(value);
          return parsed.success ? result(parsed.data) : [refused(parsed.error)];
        }
        default:
          // Newer message kinds (stream events, progress) carry nothing the run's log needs.
          return [];
      }
    },
    end(exit: ProcessExit): AdapterOutcome {
      if (!state.result) {
        const ended = exitOutcome(exit, 'Claude Code');
        return { outcome: 'FAILED', summary: `${ended.summary} without a result message` };
      }
      if (state.result.outcome === 'SUCCEEDED' && exit.code !== 0) {
        return exitOutcome(exit, 'Claude Code');
      }
      return state.result;
    },
  };
}

/** `claude -p --output-format stream-json --verbose`, the prompt as its argument. */
export function claudeCodeAdapter(input: ClaudeCodeAdapterOptions = {}): ProcessAdapter {
  const options = claudeCodeAdapterOptions.parse(input);
  return {
    name: 'claude-code',
    run: { adapter: 'claude-code', model: options.model ?? 'claude-code', provider: 'anthropic' },
    promptTemplate: options.promptTemplate,
    command(brief) {
      return {
        command: options.executable,
        args: [
          '-p',
          '--output-format',
          'stream-json',
          '--verbose',
          ...(options.model ? ['--model', options.model] : []),
          ...(options.permissionMode ? ['--permission-mode', options.permissionMode] : []),
          ...options.args,
          brief.prompt,
        ],
        env: options.env,
      };
    },
    parser: () =>
      claudeCodeParser({ model: options.model, toolResultLines: options.toolResultLines }),
  };
}
