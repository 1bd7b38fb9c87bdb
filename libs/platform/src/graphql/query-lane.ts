import { AppError } from '@mission-control/errors';

/**
 * At most `concurrency` queries execute at once; the rest wait their turn in order, without work.
 * Reads are what saturate a process (a large board is tens of ms of CPU); bounded, they cannot
 * fill the event loop ahead of a mutation or the live push it causes, which never wait here.
 * 0 lets every query through.
 */
export class QueryLane {
  private running = 0;
  /** Each waiting query's admission, in arrival order. */
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly concurrency: number,
    /** Queries allowed to wait; one more is refused at once rather than queued without end. */
    private readonly maxWaiting = 1_000,
  ) {}

  /** Resolves with the release of the slot once the query may run. */
  acquire(): Promise<() => void> {
    if (this.concurrency === 0) {
      return Promise.resolve(() => undefined);
    }
    if (this.running < this.concurrency) {
      this.running += 1;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxWaiting) {
      return Promise.reject(
        AppError.limitExceeded('The server is busy with other reads; try again shortly.', {
          retryAfterSeconds: 1,
        }),
      );
    }
    return new Promise((resolve) => {
      this.waiting.push(() => resolve(this.releaser()));
    });
  }

  /** Queries running and waiting, for metrics and tests. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      const admit = this.waiting.shift();
      if (admit) {
        // The slot passes straight on: `running` stays as it is.
        admit();
      } else {
        this.running -= 1;
      }
    };
  }
}

type LanePluginContext = { operation?: { operation?: string } | null };

/**
 * An Apollo Server plugin holding each query in the lane from the moment its operation is known
 * until its answer is sent. `refuse` turns the lane's LIMIT_EXCEEDED into what the server's error
 * formatting expects (a coded GraphQL error at the gateway; a subgraph formats AppErrors itself).
 */
export function queryLanePlugin(lane: QueryLane, refuse: (error: AppError) => unknown = (e) => e) {
  return {
    // eslint-disable-next-line @typescript-eslint/require-await -- Apollo expects a promise
    async requestDidStart() {
      let release: (() => void) | undefined;
      return {
        async didResolveOperation({ operation }: LanePluginContext): Promise<void> {
          if (operation?.operation !== 'query') {
            return;
          }
          try {
            release = await lane.acquire();
          } catch (error) {
            throw error instanceof AppError ? refuse(error) : error;
          }
        },
        // eslint-disable-next-line @typescript-eslint/require-await -- Apollo expects a promise
        async willSendResponse(): Promise<void> {
          release?.();
        },
      };
    },
  };
}
