/** Where the LiveFeed's records come from: Kafka, or the in-process bus in standalone mode. */
export type LiveSource = {
  /** True once records flow into the feed; the gateway's readiness reports live push by it. */
  readonly isReady: boolean;
  /** Starts feeding; resolves once consuming, or after a wait with attempts going on. */
  start(): Promise<void>;
  stop(): Promise<void>;
};
