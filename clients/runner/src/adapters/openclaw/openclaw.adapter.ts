import { z } from 'zod';
import { DEFAULT_PROMPT_TEMPLATE } from '../../work/mission-prompt';
import type { AdapterEvent, AdapterOutcome, RemoteTurn, SessionAdapter } from '../adapter';
import { chatSendResult } from './openclaw-frames';
import { OpenClawError } from './openclaw.error';
import { openClawTurnParser } from './openclaw-event.parser';
import { OPENCLAW_PROTOCOL, OpenClawGatewayClient } from './openclaw-gateway.client';

/** An agent's OpenClaw gateway (`gateway:` beside `adapter: openclaw` in the runner's file). */
export const openClawGatewayOptions = z
  .strictObject({
    /** ws:// or wss://, e.g. ws://127.0.0.1:18789 */
    url: z.url({ protocol: /^wss?$/, error: 'a ws:// or wss:// URL' }),
    /** The gateway's shared token (gateway.auth.token). A secret. */
    token: z.string().min(1).optional(),
    /** Or the environment variable holding it (read as the runner starts). */
    tokenEnv: z.string().min(1).optional(),
    /** The session each mission's turn goes to (e.g. agent:main:main), or `new`: one per run. */
    session: z.string().min(1),
    /** The protocol versions to offer: one, or a range (default 3–4). */
    protocol: z
      .union([
        z.number().int().min(1),
        z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }),
      ])
      .optional(),
  })
  .refine((gateway) => (gateway.token === undefined) !== (gateway.tokenEnv === undefined), {
    message: 'give token or tokenEnv (one of them)',
  })
  .refine(
    (gateway) =>
      typeof gateway.protocol !== 'object' || gateway.protocol.min <= gateway.protocol.max,
    { message: 'protocol.min is above protocol.max', path: ['protocol'] },
  );
export type OpenClawGatewayOptions = z.input<typeof openClawGatewayOptions>;

export const openClawAdapterOptions = z.strictObject({
  gateway: openClawGatewayOptions,
  /** What the run is recorded as, and the model usage is priced at when the gateway names none. */
  model: z.string().min(1).default('openclaw'),
  provider: z.string().min(1).default('openclaw'),
  /** Passed as chat.send's `thinking` (off, low, medium, high…). */
  thinking: z.string().min(1).optional(),
  promptTemplate: z.string().min(1).default(DEFAULT_PROMPT_TEMPLATE),
  handshakeTimeoutMs: z.number().int().min(100).default(10_000),
  requestTimeoutMs: z.number().int().min(100).default(30_000),
});
export type OpenClawAdapterOptions = z.input<typeof openClawAdapterOptions>;

/** The protocol range the options ask for. */
export function protocolRange(protocol: z.output<typeof openClawGatewayOptions>['protocol']): {
  min: number;
  max: number;
} {
  if (protocol === undefined) {
    return { ...OPENCLAW_PROTOCOL };
  }
  return typeof protocol === 'number' ? { min: protocol, max: protocol } : protocol;
}

// After a cancel, the abort has this long to be answered before the connection is closed anyway.
const ABORT_ANSWER_MS = 1_000;

const failure = (error: unknown): string =>
  error instanceof OpenClawError
    ? `${error.message} (${error.hint})`
    : error instanceof Error
      ? error.message
      : String(error);

/**
 * A mission as a turn of an OpenClaw session: connect, send the prompt (chat.send, a new session
 * first when asked), stream the run's events into the run's log and usage until final, error or
 * aborted. Stopping it sends chat.abort for the run, then closes.
 */
export function openClawAdapter(input: OpenClawAdapterOptions): SessionAdapter {
  const options = openClawAdapterOptions.parse(input);
  const { gateway } = options;
  return {
    kind: 'session',
    name: 'openclaw',
    run: { adapter: 'openclaw', model: options.model, provider: options.provider },
    promptTemplate: options.promptTemplate,
    describe: () => `OpenClaw gateway ${gateway.url}, session ${gateway.session}`,
    start(brief, onEvents): RemoteTurn {
      const parser = openClawTurnParser({ model: options.model });
      let client: OpenClawGatewayClient | null = null;
      let sessionKey: string | null = gateway.session === 'new' ? null : gateway.session;
      let runId: string | null = null;
      let stopping = false;
      let sending: Promise<unknown> | null = null;
      let settle: (outcome: AdapterOutcome) => void = () => undefined;
      const ended = new Promise<AdapterOutcome>((resolve) => (settle = resolve));
      let over = false;
      const emit = (events: AdapterEvent[]) => {
        if (!over && events.length > 0) {
          onEvents(events);
        }
      };
      const end = (outcome: AdapterOutcome) => {
        if (!over) {
          over = true;
          settle(outcome);
          void client?.close();
        }
      };
      const fail = (summary: string) => {
        emit([{ type: 'log', stream: 'stderr', text: summary }]);
        end({ outcome: 'FAILED', summary });
      };

      void (async () => {
        if (gateway.token === undefined) {
          // tokenEnv is resolved as the configuration is loaded; without it there is nothing to send.
          fail(
            `no token for the OpenClaw gateway: the environment has no ${gateway.tokenEnv ?? '?'}`,
          );
          return;
        }
        try {
          client = await OpenClawGatewayClient.connect({
            url: gateway.url,
            token: gateway.token,
            protocol: protocolRange(gateway.protocol),
            handshakeTimeoutMs: options.handshakeTimeoutMs,
            requestTimeoutMs: options.requestTimeoutMs,
            onEvent: (frame) => {
              emit(parser.event(frame));
              if (parser.outcome) {
                end(parser.outcome);
              }
            },
            onInvalid: (error) => emit(parser.garbage(error)),
            onClose: (code, reason) => {
              if (!stopping) {
                fail(
                  `the connection to the OpenClaw gateway ended before the run did (${code}${reason ? ` ${reason}` : ''})`,
                );
              }
            },
          });
          if (stopping) {
            await client.close();
            return;
          }
          emit([
            {
              type: 'log',
              stream: 'system',
              text: `connected: OpenClaw ${client.hello.server?.version ?? '?'}, protocol ${client.protocol}`,
            },
          ]);
          if (sessionKey === null) {
            const created = (await client.request('sessions.create', {
              label: `Mission Control run ${brief.runId}`,
            })) as { key?: unknown } | undefined;
            if (typeof created?.key !== 'string') {
              fail('sessions.create answered without a session key');
              return;
            }
            sessionKey = created.key;
            emit([{ type: 'log', stream: 'system', text: `new session ${sessionKey}` }]);
          }
          sending = client.request('chat.send', {
            sessionKey,
            message: brief.prompt,
            ...(options.thinking ? { thinking: options.thinking } : {}),
            // The run's id: a resend after a lost answer does not start a second run.
            idempotencyKey: brief.runId,
          });
          const answer = chatSendResult.safeParse(await sending);
          if (!answer.success) {
            emit(parser.garbage('chat.send answered without a runId'));
            return;
          }
          runId = answer.data.runId;
          if (stopping) {
            // Stopped while chat.send was on its way: stop() aborts the run it started.
            return;
          }
          emit(parser.follow(runId));
          if (parser.outcome) {
            end(parser.outcome);
          }
        } catch (error) {
          if (!stopping) {
            fail(failure(error));
          }
        }
      })();

      return {
        ended,
        async stop() {
          if (stopping) {
            return;
          }
          stopping = true;
          if (sending && runId === null) {
            // chat.send is on its way: its answer names the run to abort.
            let timer: NodeJS.Timeout | undefined;
            await Promise.race([
              sending.catch(() => undefined),
              new Promise((resolve) => (timer = setTimeout(resolve, ABORT_ANSWER_MS))),
            ]);
            clearTimeout(timer);
          }
          if (client && sessionKey && runId && !parser.outcome) {
            await client
              .request('chat.abort', { sessionKey, runId }, ABORT_ANSWER_MS)
              .catch(() => undefined);
          }
          end({ outcome: 'FAILED', summary: 'stopped' });
          await client?.close();
        },
      };
    },
  };
}
