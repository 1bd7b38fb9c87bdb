export * from './errors/mission-control.error';
export * from './client/mission-control.client';
export * from './auth/agent-token-source';
export {
  DEFAULT_RETRY_POLICY,
  isRetryable,
  type RetryOptions,
  type RetryPolicy,
  withRetries,
} from './retry/retry-policy';
export * from './transport/graphql-transport';
export * from './live/live-connection';
export * from './agent/log-batcher';
export * from './agent/run-handle';
export * from './agent/agent-session';
export * from './graphql/generated';
export * from './client/person.client';
