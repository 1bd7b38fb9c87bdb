import { fold, type Decider } from './decider';

type Outcome<Event> = { events: Event[] } | { error: unknown };

export type Then<Event> = {
  /** The command produced exactly these events, in order. */
  then(expected: Event[]): void;
  /** The command was refused with an error matching `expected` (class, message or predicate). */
  thenThrows(
    expected?:
      (new (...args: never[]) => unknown) | RegExp | string | ((error: unknown) => boolean),
  ): void;
};

/**
 * Specifies a decider as behaviour: given past events, when a command, then new events or an error.
 *
 *   given(missionDecider, [missionCreated]).when(moveMission).then([missionMoved])
 */
export function given<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  history: Event[] = [],
): { when(command: Command): Then<Event> } {
  return {
    when(command) {
      let outcome: Outcome<Event>;
      try {
        outcome = { events: decider.decide(command, fold(decider, history)) };
      } catch (error) {
        outcome = { error };
      }
      return {
        then(expected) {
          if ('error' in outcome) {
            throw new Error(
              `Expected events but the command was refused: ${describe(outcome.error)}`,
            );
          }
          expectEqual(outcome.events, expected);
        },
        thenThrows(expected) {
          if (!('error' in outcome)) {
            throw new Error(
              `Expected the command to be refused but it produced ${JSON.stringify(outcome.events)}`,
            );
          }
          if (expected !== undefined && !matches(outcome.error, expected)) {
            throw new Error(
              `The command was refused with an unexpected error: ${describe(outcome.error)}`,
            );
          }
        },
      };
    },
  };
}

function matches(
  error: unknown,
  expected: (new (...args: never[]) => unknown) | RegExp | string | ((error: unknown) => boolean),
): boolean {
  const message = error instanceof Error ? error.message : String(error);
  if (typeof expected === 'string') {
    return message.includes(expected);
  }
  if (expected instanceof RegExp) {
    return expected.test(message);
  }
  if (expected.prototype !== undefined && error instanceof expected) {
    return true;
  }
  return expected.prototype === undefined && (expected as (error: unknown) => boolean)(error);
}

const describe = (error: unknown) =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

function expectEqual<Event>(actual: Event[], expected: Event[]): void {
  const render = (events: Event[]) =>
    JSON.stringify(
      events,
      (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value),
      2,
    );
  if (render(actual) !== render(expected)) {
    throw new Error(
      `Unexpected events.\nExpected: ${render(expected)}\nReceived: ${render(actual)}`,
    );
  }
}
