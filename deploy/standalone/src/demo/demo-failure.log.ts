import { DemoApiError } from './demo-graphql.client';

/**
 * Logs a failure the first time it happens for a given actor, step and error code, then stays
 * quiet about it: the loops retry every few seconds and must not flood the console.
 */
export class DemoFailureLog {
  private readonly seen = new Set<string>();

  constructor(private readonly log: (line: string) => void) {}

  report(who: string, step: string, error: unknown): void {
    const code = error instanceof DemoApiError ? error.code : 'UNEXPECTED';
    const kind = `${who}|${step}|${code}`;
    if (this.seen.has(kind)) {
      return;
    }
    this.seen.add(kind);
    const message = error instanceof Error ? error.message : String(error);
    this.log(`Demo ${who} could not ${step} (${code}: ${message}); retrying quietly`);
  }

  /** A problem the runner reported, said once for each message (ids aside: they differ each time). */
  note(who: string, message: string): void {
    const kind = `${who}|${message.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, '…')}`;
    if (this.seen.has(kind)) {
      return;
    }
    this.seen.add(kind);
    this.log(`Demo ${who}: ${message}`);
  }
}
