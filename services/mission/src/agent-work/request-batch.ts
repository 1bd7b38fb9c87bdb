/**
 * Loads what the fields of one GraphQL request ask for one by one (the running run of each card
 * of a board, the mission of each run of a page) with one query: the keys asked for before the
 * event loop's next turn share it.
 */
export class RequestBatch<V> {
  private keys = new Set<string>();
  private loading: Promise<ReadonlyMap<string, V>> | null = null;

  constructor(private readonly load: (keys: string[]) => Promise<ReadonlyMap<string, V>>) {}

  async get(key: string): Promise<V | undefined> {
    this.keys.add(key);
    this.loading ??= new Promise((resolve, reject) => {
      setImmediate(() => {
        const keys = [...this.keys];
        // Keys asked for from now on (a deeper level of the same request) make the next batch.
        this.keys = new Set();
        this.loading = null;
        this.load(keys).then(resolve, reject);
      });
    });
    return (await this.loading).get(key);
  }
}

const batches = new WeakMap<object, Map<string, RequestBatch<unknown>>>();

/** The batch called `name` of the request whose GraphQL context is `context`. */
export function batchOf<V>(
  context: object,
  name: string,
  load: (keys: string[]) => Promise<ReadonlyMap<string, V>>,
): RequestBatch<V> {
  let named = batches.get(context);
  if (!named) {
    named = new Map();
    batches.set(context, named);
  }
  let batch = named.get(name) as RequestBatch<V> | undefined;
  if (!batch) {
    batch = new RequestBatch(load);
    named.set(name, batch);
  }
  return batch;
}
