/** Why an event could not be read or written; a consumer dead-letters on any of these. */
export const ContractErrorCode = {
  /** The CloudEvents type names no registered payload message. */
  UNKNOWN_EVENT_TYPE: 'UNKNOWN_EVENT_TYPE',
  /** The payload message is not of the type it is sent as. */
  EVENT_TYPE_MISMATCH: 'EVENT_TYPE_MISMATCH',
  /** The payload bytes are not a valid encoding of the type's message. */
  MALFORMED_PAYLOAD: 'MALFORMED_PAYLOAD',
  /** A required Kafka record header is absent. */
  MISSING_HEADER: 'MISSING_HEADER',
  /** A Kafka record header is present but its value is not acceptable. */
  INVALID_HEADER: 'INVALID_HEADER',
  /** Upcasters that cannot form one chain (two for one type, or a loop). */
  UPCASTER_CONFLICT: 'UPCASTER_CONFLICT',
  /** An upcaster threw while converting an old event. */
  UPCAST_FAILED: 'UPCAST_FAILED',
} as const;

export type ContractErrorCode = (typeof ContractErrorCode)[keyof typeof ContractErrorCode];

/** A broken contract: retrying the same event can never succeed. */
export class ContractError extends Error {
  constructor(
    readonly code: ContractErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options: { cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ContractError';
  }
}
