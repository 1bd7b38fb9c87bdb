/** One record on the wire: binary payload, key = stream id, CloudEvents attributes as headers. */
export type TransportRecord = {
  topic: string;
  key: string;
  value: Buffer;
  headers: Record<string, string>;
};

/** A record as a subscriber receives it, with where it came from. */
export type DeliveredRecord = TransportRecord & { partition: number; offset: string };

export type SubscribeOptions = {
  groupId: string;
  topics: string[];
  /** Where a group with no committed position starts. */
  fromBeginning?: boolean;
  /**
   * Handles a run of records from one partition, in order (one record when traffic is light,
   * up to `maxBatch` when the subscriber is behind). The transport delivers a partition's runs one
   * at a time and records them as consumed only after this resolves; a rejection means "deliver
   * the whole run again".
   */
  onRecords(records: DeliveredRecord[]): Promise<void>;
  /** Largest run handed to `onRecords`; default 100. */
  maxBatch?: number;
};

export type Subscription = {
  /** Stops after the record in hand, leaving its position committed. */
  stop(): Promise<void>;
  /** Records published to the subscribed topics but not yet consumed by this group. */
  lag(): Promise<number>;
};

/**
 * The event bus port, with a Kafka adapter for production and an in-process one for standalone
 * mode; both give per-key ordering, at-least-once delivery and per-group positions.
 */
export type EventTransport = {
  publish(records: readonly TransportRecord[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
  /**
   * Only on a bus that keeps records in memory (in-process): resolves once every record published
   * before the call has been handled by each consumer group running on its topic. Until then a
   * crash would lose it, so a relay does not count it as delivered (Kafka stores what it accepts).
   */
  settled?(): Promise<void>;
};
