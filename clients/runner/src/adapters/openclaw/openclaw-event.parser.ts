import type { RunUsageInput } from '@mission-control/sdk';
import { z } from 'zod';
import { type AdapterEvent, type AdapterOutcome, logLines, oneLine } from '../adapter';
import type { EventFrame } from './openclaw-frames';

// The events of one run (docs.openclaw.ai: gateway/protocol, concepts/agent-loop): `chat` carries
// the reply's text (delta: `deltaText`, or the whole message so far on older gateways; then
// final, error or aborted, with the turn's usage), `agent` the run's tool calls and lifecycle.

const text = z.looseObject({ type: z.literal('text'), text: z.string() });
const message = z.looseObject({
  role: z.string().optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
  model: z.string().optional(),
  provider: z.string().optional(),
  usage: z.unknown().optional(),
  stopReason: z.string().optional(),
});
// The model layer's usage: tokens by kind, and what they cost when the provider says.
const usage = z.looseObject({
  input: z.number().int().min(0).default(0),
  output: z.number().int().min(0).default(0),
  cacheRead: z.number().int().min(0).default(0),
  cacheWrite: z.number().int().min(0).default(0),
  totalTokens: z.number().int().min(0).optional(),
  cost: z.looseObject({ total: z.number().min(0).optional() }).optional(),
});
const chatBase = { runId: z.string().min(1), sessionKey: z.string().min(1), seq: z.number() };
const chatEvent = z.discriminatedUnion('state', [
  z.looseObject({
    ...chatBase,
    state: z.literal('delta'),
    deltaText: z.string().optional(),
    message: message.optional(),
  }),
  z.looseObject({
    ...chatBase,
    state: z.literal('final'),
    message: message.optional(),
    usage: z.unknown().optional(),
    stopReason: z.string().optional(),
  }),
  z.looseObject({ ...chatBase, state: z.literal('aborted'), stopReason: z.string().optional() }),
  z.looseObject({
    ...chatBase,
    state: z.literal('error'),
    errorMessage: z.string().optional(),
    errorKind: z.string().optional(),
    message: message.optional(),
    usage: z.unknown().optional(),
  }),
]);
const agentEvent = z.looseObject({
  runId: z.string().min(1),
  seq: z.number(),
  stream: z.string().min(1),
  ts: z.number().optional(),
  data: z.record(z.string(), z.unknown()),
});
const toolData = z.looseObject({
  phase: z.string(),
  name: z.string().optional(),
  toolCallId: z.string().optional(),
  args: z.unknown().optional(),
  result: z.unknown().optional(),
  isError: z.boolean().optional(),
});
const lifecycleData = z.looseObject({ phase: z.string(), error: z.string().optional() });

export type OpenClawTurnParser = {
  /** The run chat.send started: its events (and any that came before the answer) are read. */
  follow(runId: string): AdapterEvent[];
  /** One event frame of the connection (other runs' and unknown events are nothing). */
  event(frame: EventFrame): AdapterEvent[];
  /** A frame that could not be read. */
  garbage(error: string): AdapterEvent[];
  /** How the run ended, once the gateway said (final, error, aborted). */
  readonly outcome: AdapterOutcome | null;
};

function messageText(value: z.infer<typeof message> | undefined): string {
  const content = value?.content;
  if (content === undefined) {
    return '';
  }
  if (typeof content === 'string') {
    return content;
  }
  return content
    .flatMap((part) => {
      const read = text.safeParse(part);
      return read.success ? [read.data.text] : [];
    })
    .join('');
}

/** `final: stop, 14340 tokens, $0.0124`: how the run ended and what it spent. */
function finalLine(stop: string | undefined, cost: AdapterEvent[]): string {
  const parts = [stop ? `final: ${stop}` : 'final'];
  const spent = cost.find((event) => event.type === 'usage');
  if (spent?.type === 'usage') {
    parts.push(`${spent.usage.inputTokens + spent.usage.outputTokens} tokens`);
    if (typeof spent.usage.costUsd === 'number') {
      parts.push(`$${spent.usage.costUsd.toFixed(4)}`);
    }
  }
  return parts.join(', ');
}

/** Pure reading of one OpenClaw run's events into log lines, usage and an outcome. */
export function openClawTurnParser(options: { model?: string } = {}): OpenClawTurnParser {
  let runId: string | null = null;
  const early: EventFrame[] = [];
  let reply = '';
  // Text of the current line not yet logged (deltas split lines anywhere).
  let partial = '';
  let outcome: AdapterOutcome | null = null;

  const say = (more: string): AdapterEvent[] => {
    if (more === '') {
      return [];
    }
    reply += more;
    const lines = (partial + more).split(/\r\n|\r|\n/);
    partial = lines.pop() ?? '';
    return lines.map((line) => ({ type: 'log', stream: 'stdout', text: line }));
  };
  const flush = (): AdapterEvent[] => {
    const rest = partial;
    partial = '';
    return rest === '' ? [] : [{ type: 'log', stream: 'stdout', text: rest }];
  };
  const spent = (
    raw: unknown,
    said: z.infer<typeof message> | undefined,
  ): AdapterEvent[] | { invalid: string } => {
    if (raw === undefined || raw === null) {
      return [];
    }
    const read = usage.safeParse(raw);
    if (!read.success) {
      return {
        invalid: `OpenClaw's usage is not as documented: ${oneLine(z.prettifyError(read.error))}`,
      };
    }
    const u = read.data;
    const cost = u.cost?.total;
    const counted: RunUsageInput = {
      model: said?.model ?? options.model ?? 'openclaw',
      // Cached reads and cache writes are input the model took too.
      inputTokens: u.input + u.cacheRead + u.cacheWrite,
      cachedInputTokens: u.cacheRead,
      outputTokens: u.output,
      // A provider that reports no price leaves 0: the server prices the tokens instead.
      ...(cost !== undefined && cost > 0 ? { costUsd: cost } : {}),
    };
    return [{ type: 'usage', usage: counted }];
  };
  const invalid = (error: string): AdapterEvent[] => [{ type: 'invalid', error }];

  const chat = (payload: unknown): AdapterEvent[] => {
    const read = chatEvent.safeParse(payload);
    if (!read.success) {
      return invalid(
        `OpenClaw's chat event is not as documented: ${oneLine(z.prettifyError(read.error))}`,
      );
    }
    const e = read.data;
    if (e.runId !== runId || outcome !== null) {
      return [];
    }
    switch (e.state) {
      case 'delta': {
        if (e.deltaText !== undefined) {
          return say(e.deltaText);
        }
        // Older gateways send the whole reply so far.
        const whole = messageText(e.message);
        return whole.startsWith(reply) ? say(whole.slice(reply.length)) : [];
      }
      case 'final': {
        const whole = messageText(e.message);
        const events = [
          ...say(whole.startsWith(reply) ? whole.slice(reply.length) : ''),
          ...flush(),
        ];
        const cost = spent(e.usage ?? e.message?.usage, e.message);
        if (!Array.isArray(cost)) {
          return [...events, ...invalid(cost.invalid)];
        }
        const stop = e.stopReason ?? e.message?.stopReason;
        outcome = { outcome: 'SUCCEEDED', summary: reply.trim() || 'Done' };
        return [
          ...cost,
          ...events,
          { type: 'log', stream: 'system', text: finalLine(stop, cost) },
          { type: 'result', result: outcome },
        ];
      }
      case 'aborted':
        outcome = {
          outcome: 'FAILED',
          summary: `OpenClaw aborted the run${e.stopReason ? ` (${e.stopReason})` : ''}`,
        };
        return [
          ...flush(),
          { type: 'log', stream: 'stderr', text: 'aborted' },
          { type: 'result', result: outcome },
        ];
      case 'error': {
        const why = e.errorMessage ?? 'the run failed';
        outcome = {
          outcome: 'FAILED',
          summary: `OpenClaw: ${why}${e.errorKind ? ` (${e.errorKind})` : ''}`,
        };
        const cost = spent(e.usage ?? e.message?.usage, e.message);
        return [
          ...(Array.isArray(cost) ? cost : []),
          ...flush(),
          ...logLines('stderr', `error: ${why}`),
          { type: 'result', result: outcome },
        ];
      }
    }
  };

  const agent = (payload: unknown): AdapterEvent[] => {
    const read = agentEvent.safeParse(payload);
    if (!read.success) {
      return invalid(
        `OpenClaw's agent event is not as documented: ${oneLine(z.prettifyError(read.error))}`,
      );
    }
    const e = read.data;
    if (e.runId !== runId || outcome !== null) {
      return [];
    }
    switch (e.stream) {
      case 'tool': {
        const tool = toolData.safeParse(e.data);
        if (!tool.success) {
          return invalid(
            `OpenClaw's tool event is not as documented: ${oneLine(z.prettifyError(tool.error))}`,
          );
        }
        const name = tool.data.name ?? 'tool';
        if (tool.data.phase === 'start') {
          return [
            ...flush(),
            { type: 'log', stream: 'system', text: `→ ${name}: ${oneLine(tool.data.args ?? '')}` },
          ];
        }
        if (tool.data.phase === 'result') {
          const failed = tool.data.isError === true;
          return [
            {
              type: 'log',
              stream: failed ? 'stderr' : 'system',
              text: `← ${name}${failed ? ' failed' : ''}: ${oneLine(tool.data.result ?? '')}`,
            },
          ];
        }
        return [];
      }
      case 'lifecycle': {
        const life = lifecycleData.safeParse(e.data);
        if (!life.success) {
          return invalid(
            `OpenClaw's lifecycle event is not as documented: ${oneLine(z.prettifyError(life.error))}`,
          );
        }
        if (life.data.phase === 'start') {
          return [{ type: 'log', stream: 'system', text: `OpenClaw run ${e.runId} started` }];
        }
        if (life.data.phase === 'error') {
          return [
            { type: 'log', stream: 'stderr', text: `error: ${life.data.error ?? 'unknown'}` },
          ];
        }
        return [];
      }
      default:
        // The assistant stream repeats chat's text; other streams carry nothing for the log.
        return [];
    }
  };

  const read = (frame: EventFrame): AdapterEvent[] => {
    switch (frame.event) {
      case 'chat':
        return chat(frame.payload);
      case 'agent':
        return agent(frame.payload);
      default:
        // tick, health, presence, heartbeat…: the connection's, not the run's.
        return [];
    }
  };

  return {
    follow(id) {
      runId = id;
      return early.splice(0).flatMap(read);
    },
    event(frame) {
      if (runId === null) {
        if (frame.event === 'chat' || frame.event === 'agent') {
          early.push(frame);
        }
        return [];
      }
      return read(frame);
    },
    garbage: (error) => invalid(error),
    get outcome() {
      return outcome;
    },
  };
}
