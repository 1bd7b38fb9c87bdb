import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AdapterEvent, OutputParser } from '../../src/adapters/adapter';

export const FIXTURES = path.join(__dirname, '..', 'fixtures');
export const FAKE_BIN = path.join(FIXTURES, 'bin');

/** A recorded transcript's lines, as a line reader gives them (no line breaks). */
export function transcript(name: string): string[] {
  const text = readFileSync(path.join(FIXTURES, name), 'utf8');
  return text.split('\n').slice(0, text.endsWith('\n') ? -1 : undefined);
}

/** Every event a parser makes of a transcript read from stdout, until its first invalid line. */
export function parseTranscript(parser: OutputParser, name: string): AdapterEvent[] {
  const events: AdapterEvent[] = [];
  for (const line of transcript(name)) {
    const made = parser.line('stdout', line);
    events.push(...made);
    if (made.some((event) => event.type === 'invalid')) {
      break;
    }
  }
  return events;
}

export const logsOf = (events: AdapterEvent[]) =>
  events.flatMap((event) => (event.type === 'log' ? [`${event.stream}: ${event.text}`] : []));
