import { z } from 'zod';
import { oneLine } from '../adapter';

// The OpenClaw gateway's WebSocket protocol (docs.openclaw.ai/gateway/protocol): text frames,
// each one JSON object: a request, its response (same id), or an event the gateway pushes.
// Fields not read here are let through, so a newer gateway's additions do not break a run.

export const errorShape = z.looseObject({
  code: z.string().min(1),
  message: z.string().min(1),
  details: z.unknown().optional(),
  retryable: z.boolean().optional(),
  retryAfterMs: z.number().int().min(0).optional(),
});
export type OpenClawErrorShape = z.infer<typeof errorShape>;

const responseFrame = z.looseObject({
  type: z.literal('res'),
  id: z.string().min(1),
  ok: z.boolean(),
  payload: z.unknown().optional(),
  error: errorShape.optional(),
});
const eventFrame = z.looseObject({
  type: z.literal('event'),
  event: z.string().min(1),
  payload: z.unknown().optional(),
  seq: z.number().int().min(0).optional(),
});
const requestFrame = z.looseObject({
  type: z.literal('req'),
  id: z.string().min(1),
  method: z.string().min(1),
  params: z.unknown().optional(),
});
const frame = z.discriminatedUnion('type', [responseFrame, eventFrame, requestFrame]);

export type ResponseFrame = z.infer<typeof responseFrame>;
export type EventFrame = z.infer<typeof eventFrame>;
export type GatewayFrame = z.infer<typeof frame>;

/** What `connect` answers when the gateway accepts the client. */
export const helloOk = z.looseObject({
  type: z.literal('hello-ok'),
  protocol: z.number().int().min(1),
  server: z.looseObject({ version: z.string().min(1), connId: z.string().optional() }).optional(),
  features: z.looseObject({ methods: z.array(z.string()), events: z.array(z.string()) }).optional(),
  policy: z.looseObject({ tickIntervalMs: z.number().int().min(1).optional() }).optional(),
});
export type HelloOk = z.infer<typeof helloOk>;

/** The first thing a gateway sends: a nonce a device identity signs (a token client need not). */
export const connectChallenge = z.looseObject({
  nonce: z.string().min(1),
  ts: z.number().int().min(0).optional(),
});

export const sessionRow = z.looseObject({
  key: z.string().min(1),
  sessionId: z.string().optional(),
  displayName: z.string().nullish(),
  label: z.string().nullish(),
  updatedAt: z.number().nullish(),
  model: z.string().nullish(),
});
export const sessionsListResult = z.looseObject({
  count: z.number().int().min(0).optional(),
  sessions: z.array(sessionRow),
});
export type SessionRow = z.infer<typeof sessionRow>;

/** chat.send's answer: the run the message started. */
export const chatSendResult = z.looseObject({
  runId: z.string().min(1),
  status: z.string().optional(),
});

/** A frame's text read: the frame, or why it is not one (a parse error to report). */
export function readFrame(text: string): { frame: GatewayFrame } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      error: `the OpenClaw gateway sent a frame that is not JSON (${(error as Error).message}): ${oneLine(text, 120)}`,
    };
  }
  const parsed = frame.safeParse(value);
  if (!parsed.success) {
    return {
      error: `the OpenClaw gateway sent a frame that is not a request, response or event: ${oneLine(text, 120)}`,
    };
  }
  return { frame: parsed.data };
}
