import { z } from 'zod';
import { DEFAULT_PROMPT_TEMPLATE } from '../work/mission-prompt';
import {
  type AdapterEvent,
  type ProcessAdapter,
  exitOutcome,
  type MissionBrief,
  type OutputParser,
} from './adapter';

export const commandAdapterOptions = z.strictObject({
  /** The executable: a path, or a name looked up in PATH. */
  command: z.string().min(1),
  /** Its arguments; `{{prompt}}`, `{{workFolder}}`, `{{missionFile}}`… are filled in. */
  args: z.array(z.string()).default([]),
  /** `stdin` (default) writes the prompt to the process; `argument` adds it as the last argument unless an argument holds `{{prompt}}`. */
  promptVia: z.enum(['stdin', 'argument']).default('stdin'),
  promptTemplate: z.string().min(1).default(DEFAULT_PROMPT_TEMPLATE),
  env: z.record(z.string(), z.string()).default({}),
  model: z.string().min(1).default('unknown'),
  provider: z.string().min(1).default('unknown'),
});
export type CommandAdapterOptions = z.input<typeof commandAdapterOptions>;

/**
 * A stdout line `::mc:usage {"model":…,"inputTokens":…,"outputTokens":…}` reports usage, so a
 * plain script can say what it spent; every other line is the run's log as it was printed.
 */
export const USAGE_MARKER = '::mc:usage ';

/**
 * A stdout line `::mc:progress {"note":…,"percent":…}` says where the work has got to (shown on
 * the board and the run page); `percent` (0–100) is optional.
 */
export const PROGRESS_MARKER = '::mc:progress ';

const progressLine = z.strictObject({
  note: z.string().min(1),
  percent: z.number().int().min(0).max(100).optional(),
});

/**
 * A stdout line `::mc:summary <text>` is what the run did, in the script's own words: the run's
 * summary when the script ends by itself (the last one counts), in place of its exit code's.
 */
export const SUMMARY_MARKER = '::mc:summary ';

const usageLine = z.strictObject({
  model: z.string().min(1),
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cachedInputTokens: z.number().int().min(0).optional(),
  costUsd: z.number().min(0).optional(),
});

function fill(text: string, brief: MissionBrief): string {
  const values: Record<string, string> = { ...brief };
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name]! : whole,
  );
}

/** Pure: one line of a command's output. */
export function parseCommandLine(stream: 'stdout' | 'stderr', text: string): AdapterEvent[] {
  if (stream === 'stdout' && text.startsWith(USAGE_MARKER)) {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(USAGE_MARKER.length));
    } catch (error) {
      return [{ type: 'invalid', error: `usage line is not JSON: ${(error as Error).message}` }];
    }
    const usage = usageLine.safeParse(value);
    return usage.success
      ? [{ type: 'usage', usage: usage.data }]
      : [{ type: 'invalid', error: `usage line refused: ${z.prettifyError(usage.error)}` }];
  }
  if (stream === 'stdout' && text.startsWith(PROGRESS_MARKER)) {
    let value: unknown;
    try {
      value = JSON.parse(text.slice(PROGRESS_MARKER.length));
    } catch (error) {
      return [{ type: 'invalid', error: `progress line is not JSON: ${(error as Error).message}` }];
    }
    const progress = progressLine.safeParse(value);
    return progress.success
      ? [{ type: 'progress', ...progress.data }]
      : [{ type: 'invalid', error: `progress line refused: ${z.prettifyError(progress.error)}` }];
  }
  return [{ type: 'log', stream, text }];
}

/** Any executable, given the mission as a prompt on stdin or as an argument. */
export function commandAdapter(input: CommandAdapterOptions): ProcessAdapter {
  const options = commandAdapterOptions.parse(input);
  return {
    name: 'command',
    run: { adapter: 'command', model: options.model, provider: options.provider },
    promptTemplate: options.promptTemplate,
    command(brief) {
      const args = options.args.map((arg) => fill(arg, brief));
      const inArgs = options.args.some((arg) => /\{\{\s*prompt\s*\}\}/.test(arg));
      if (options.promptVia === 'argument' && !inArgs) {
        args.push(brief.prompt);
      }
      return {
        command: options.command,
        args,
        ...(options.promptVia === 'stdin' ? { stdin: brief.prompt } : {}),
        env: options.env,
      };
    },
    parser(): OutputParser {
      let summary: string | null = null;
      return {
        line(stream, text) {
          if (stream === 'stdout' && text.startsWith(SUMMARY_MARKER)) {
            summary = text.slice(SUMMARY_MARKER.length).trim() || summary;
            return [];
          }
          return parseCommandLine(stream, text);
        },
        end(exit) {
          const ended = exitOutcome(exit, options.command);
          // A script killed or unable to start did not get to say how it went.
          return summary !== null && exit.code !== null ? { ...ended, summary } : ended;
        },
      };
    },
  };
}
