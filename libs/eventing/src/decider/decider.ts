/**
 * An aggregate as three pure functions (no I/O): `decide` turns a command into new events given
 * the current state, `evolve` folds one event into the state, `initialState` is where every stream
 * starts. Events are discriminated unions `{ type, data }` named in the past tense.
 */
export type Decider<Command, Event, State> = {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState: State;
};

/** The state after replaying `events` from the initial state. */
export function fold<Command, Event, State>(
  decider: Decider<Command, Event, State>,
  events: Iterable<Event>,
): State {
  let state = decider.initialState;
  for (const event of events) {
    state = decider.evolve(state, event);
  }
  return state;
}

/** Exhaustiveness guard for `switch` over a union: a new member left unhandled fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
