import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { MissionControlError } from '@mission-control/sdk';
import type { ZodError } from 'zod';

/** What a tool answers: a line or two for the model to read, and the same facts as data. */
export function toolResult(text: string, structured: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], structuredContent: structured };
}

/** A refused input, as the services word one: VALIDATION_ERROR with every problem in details.fields. */
export function invalidInput(error: ZodError, requestId: string): MissionControlError {
  const fields = error.issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(input)',
    message: issue.message,
  }));
  return new MissionControlError({
    code: 'VALIDATION_ERROR',
    message: fields.map((field) => `${field.path}: ${field.message}`).join('; '),
    requestId,
    details: { fields },
  });
}

/**
 * Any failure of a tool as a tool error (`isError`), never a crashed server or a protocol error:
 * the model reads the code, message and request id and can act on them. Anything that is not a
 * coded error is reported as INTERNAL_ERROR without its internals.
 */
export function toolError(error: unknown, requestId: string): CallToolResult {
  const coded =
    error instanceof MissionControlError
      ? error
      : new MissionControlError({
          code: 'INTERNAL_ERROR',
          message: 'The tool failed unexpectedly; quote the request id when reporting it.',
          requestId,
          cause: error,
        });
  const id = coded.requestId ?? requestId;
  const hint = coded.retryable ? ' It may succeed if tried again later.' : '';
  return {
    isError: true,
    content: [{ type: 'text', text: `${coded.code}: ${coded.message} (request id ${id}).${hint}` }],
    structuredContent: {
      error: {
        code: coded.code,
        message: coded.message,
        requestId: id,
        retryable: coded.retryable,
        ...(coded.details ? { details: coded.details } : {}),
      },
    },
  };
}
