export type KeepTrying = {
  /** Settles once an attempt succeeded, or after `cancel()`. */
  done: Promise<void>;
  /** Stops trying; a wait in progress ends at once. */
  cancel(): void;
};

export type KeepTryingOptions = {
  initialDelayMs?: number;
  maxDelayMs?: number;
  onRetry(error: unknown, retryInMs: number): void;
};

/**
 * Runs `attempt` in the background until it succeeds, waiting twice as long after each failure
 * (up to `maxDelayMs`): how consumers join their group without holding up a service's boot
 * while Kafka or an engine is still away.
 */
export function keepTrying(attempt: () => Promise<void>, options: KeepTryingOptions): KeepTrying {
  let cancelled = false;
  let wake: (() => void) | undefined;
  const maxDelayMs = options.maxDelayMs ?? 10_000;
  const run = async () => {
    for (
      let delay = options.initialDelayMs ?? 250;
      !cancelled;
      delay = Math.min(delay * 2, maxDelayMs)
    ) {
      try {
        await attempt();
        return;
      } catch (error) {
        if (cancelled) {
          return;
        }
        options.onRetry(error, delay);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  };
  return {
    done: run(),
    cancel: () => {
      cancelled = true;
      wake?.();
    },
  };
}
