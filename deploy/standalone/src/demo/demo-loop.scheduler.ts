/**
 * The demo's loops: each repeats its tick after a delay until `stop()`. Sleeps end early on stop,
 * and `stop()` resolves once every loop has left its tick, so no call is left in flight.
 */
export class DemoLoopScheduler {
  private stopping = false;
  private readonly wakers = new Set<() => void>();
  private readonly loops: Promise<void>[] = [];

  get stopped(): boolean {
    return this.stopping;
  }

  /** Resolves true after `ms`, or false as soon as the scheduler stops. */
  sleep(ms: number): Promise<boolean> {
    if (this.stopping) {
      return Promise.resolve(false);
    }
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve(false);
      };
      const timer = setTimeout(() => {
        this.wakers.delete(wake);
        resolve(true);
      }, ms);
      this.wakers.add(wake);
    });
  }

  /**
   * Runs `tick` after `firstDelayMs`, then again `nextDelayMs()` after each tick ends. A tick that
   * throws is passed to `onError` and the loop goes on: a tick is expected to handle its own.
   */
  every(
    firstDelayMs: number,
    nextDelayMs: () => number,
    tick: () => Promise<void>,
    onError: (error: unknown) => void,
  ): void {
    const loop = async () => {
      let delay = firstDelayMs;
      while (await this.sleep(delay)) {
        try {
          await tick();
        } catch (error) {
          if (!this.stopping) {
            onError(error);
          }
        }
        delay = nextDelayMs();
      }
    };
    this.loops.push(loop());
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const wake of [...this.wakers]) {
      wake();
    }
    await Promise.all(this.loops);
  }
}
