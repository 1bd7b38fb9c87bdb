import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id for code Apollo calls without our context: formatError also shapes errors raised
 * before the context exists (malformed body, CSRF), and every one of them must carry the id.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export const runInRequestScope = <T>(requestId: string, work: () => Promise<T>): Promise<T> =>
  scope.run({ requestId }, work);

export const currentRequestId = (): string => scope.getStore()?.requestId ?? 'unknown';
