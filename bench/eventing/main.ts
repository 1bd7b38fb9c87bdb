// `npm run bench:eventing`: throughput and latency of the event backbone (EventStore → EventRelay
// → Kafka → EventConsumer) on the local engines, against baselines measured in the same process.
// Uses a database and Kafka topics of its own (prefix mc_bench_), removed at the end.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Pool, type PoolClient } from 'pg';
import { migrateDatabase } from '@mission-control/database';
import {
  EventConsumer,
  EventRelay,
  envelopeOf,
  EventStore,
  InProcessTransport,
  KafkaTransport,
  pgUnitOfWork,
  silentLogger,
  type AppendContext,
  type EventTransport,
  type NewEvent,
} from '@mission-control/eventing';
import { KafkaHeader, newEventId, toKafkaHeaders } from '@mission-control/proto';
import { createDatabase, dropDatabase, engineEnv, ensureEngines } from '@mission-control/testing';
import {
  cpuMeter,
  elapsedSeconds,
  fmtCpu,
  fmtMs,
  fmtRate,
  now,
  percentiles,
  perSecond,
  progress,
  range,
  round1,
  round2,
  runBenchmark,
  sleep,
  table,
  waitFor,
  type CpuUse,
  type Percentiles,
} from '../support/harness';

const WRITERS = 4;
const APPEND = { batches: [1, 10, 100], runMs: 3_000, maxPerWriter: 50_000 };
const RELAY = {
  events: 100_000,
  appendBatch: 100,
  batchSizes: [500, 2_000],
  /** The consumer handles about one event per Postgres commit: fewer events keep the run short. */
  consumerEvents: 20_000,
  timeoutMs: 60_000,
};
/** The goal's rate, then a light one that shows the pipeline's own latency without queueing. */
const LATENCY = { rate: 1_000, seconds: 10, probeRate: 100, probeSeconds: 5, streams: 8 };
const DRAIN_MS = 30_000;

const TYPE = 'mission.v1.MissionMoved';
const PAYLOAD = randomBytes(64);
const context: AppendContext = { workspaceId: 'ws-bench', actor: { kind: 'system', id: 'bench' } };
const newEvents = (count: number): NewEvent[] =>
  range(count).map(() => ({ type: TYPE, payload: PAYLOAD }));

type Bench = { runId: string; databaseUrl: string; pool: Pool; store: EventStore; kafka: Kafka };

/** Appends `count` events to `stream`, which is at `version`. */
type Write = (stream: string, version: number, count: number) => Promise<void>;

const storeWrite =
  (b: Bench): Write =>
  async (stream, version, count) => {
    await b.store.append(b.pool, stream, version, newEvents(count), context);
  };

/**
 * The baseline: the same rows in one INSERT … unnest into a plain table (bigserial key, no other
 * index, no trigger), without reading the previous hash, hashing or checking the version.
 */
const rawWrite =
  (b: Bench): Write =>
  async (stream, version, count) => {
    const ids = range(count).map(() => newEventId());
    const metadata = JSON.stringify({
      source: 'mission',
      time: new Date().toISOString(),
      ...context,
      correlationId: ids[0],
      causationId: null,
    });
    await b.pool.query(
      `INSERT INTO mission.bench_raw (event_id, stream_id, version, type, payload, metadata, hash)
       SELECT id, $2, version, type, payload, metadata, hash
       FROM unnest($1::uuid[], $3::int[], $4::text[], $5::bytea[], $6::jsonb[], $7::bytea[])
         AS e(id, version, type, payload, metadata, hash)`,
      [
        ids,
        stream,
        ids.map((_, i) => version + i + 1),
        ids.map(() => TYPE),
        ids.map(() => PAYLOAD),
        ids.map(() => metadata),
        ids.map(() => HASH),
      ],
    );
  };
const HASH = Buffer.alloc(32, 7);

/**
 * WRITERS concurrent writers, each appending batches of `batch` to a stream of its own until it
 * wrote `perWriter` events or `maxMs` passed.
 */
async function writeLoad(
  streamPrefix: string,
  batch: number,
  write: Write,
  perWriter: number,
  maxMs = Infinity,
): Promise<{ events: number; ms: number }> {
  const started = now();
  const written = await Promise.all(
    range(WRITERS).map(async (writer) => {
      let version = 0;
      while (version < perWriter && now() - started < maxMs) {
        const count = Math.min(batch, perWriter - version);
        await write(`${streamPrefix}-w${writer}`, version, count);
        version += count;
      }
      return version;
    }),
  );
  return { events: written.reduce((a, b) => a + b, 0), ms: now() - started };
}

/** Starts relay `name` after everything already in the store, so each step relays only its own. */
async function skipExistingEvents(b: Bench, name: string): Promise<void> {
  await b.pool.query(
    `INSERT INTO mission.relay_checkpoints (relay, transaction_id, position)
     SELECT $1, transaction_id, position FROM mission.events
     ORDER BY transaction_id DESC, position DESC LIMIT 1`,
    [name],
  );
}

// ---- 1. Append throughput -------------------------------------------------------------------

type AppendResult = { batch: number; store: number; raw: number; cpu: CpuUse };

async function appendThroughput(b: Bench): Promise<AppendResult[]> {
  progress(`1. append throughput: ${WRITERS} writers, ${APPEND.runMs / 1000}s per run`);
  await b.pool.query(
    `CREATE TABLE mission.bench_raw (position bigserial PRIMARY KEY, event_id uuid NOT NULL,
       stream_id text NOT NULL, version int NOT NULL, type text NOT NULL, payload bytea NOT NULL,
       metadata jsonb NOT NULL, hash bytea NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now())`,
  );
  await writeLoad(`${b.runId}-warmup`, 10, storeWrite(b), 500);
  await writeLoad(`${b.runId}-warmup`, 10, rawWrite(b), 500);
  const results: AppendResult[] = [];
  for (const batch of APPEND.batches) {
    const run = (label: string, write: Write) =>
      writeLoad(`${b.runId}-${label}${batch}`, batch, write, APPEND.maxPerWriter, APPEND.runMs);
    const cpu = cpuMeter();
    const store = await run('append', storeWrite(b));
    const storeCpu = cpu();
    const raw = await run('raw', rawWrite(b));
    const result: AppendResult = {
      batch,
      store: perSecond(store.events, store.ms),
      raw: perSecond(raw.events, raw.ms),
      cpu: storeCpu,
    };
    results.push(result);
    progress(
      `  batch ${String(batch).padStart(3)}: EventStore.append ${fmtRate(result.store)} (cpu ${fmtCpu(result.cpu)}), raw INSERT ${fmtRate(result.raw)}, ratio ${round2(result.store / result.raw)}`,
    );
  }
  return results;
}

// ---- 2. Append → relay → Kafka → consumer throughput ---------------------------------------

type FlowOptions = {
  relayBatch: number;
  events: number;
  /** Append everything first, then time the relay draining the backlog alone. */
  backlog?: boolean;
  /** Run an EventConsumer (one inbox transaction per run of records, handler counts) on the topic. */
  consume?: boolean;
  /** The writers run in a process of their own (as request handlers do), the relay here. */
  writerProcess?: boolean;
};

type FlowResult = FlowOptions & {
  /** Events/s of the writers: first append to last append returned. */
  append: number;
  /** Events/s to the relay having published the last event: from the first append, or from the relay's start on a backlog. */
  relay: number;
  /** Events/s of the consumer: first event handled to last. */
  consumer?: number;
  /** Events/s from the first append to the last event handled. */
  endToEnd?: number;
  consumed?: number;
  cpu: CpuUse;
};

/** The same load as writeLoad, from bench/eventing/writer-process.js in a child process. */
function writeInChild(
  b: Bench,
  streamPrefix: string,
  perWriter: number,
  onProgress: (appended: number) => void,
): Promise<{ events: number; ms: number }> {
  const child = fork(path.join(__dirname, 'writer-process.js'), [], { stdio: 'inherit' });
  child.send({
    databaseUrl: b.databaseUrl,
    streamPrefix,
    writers: WRITERS,
    perWriter,
    batch: RELAY.appendBatch,
  });
  return new Promise((resolve, reject) => {
    child.on(
      'message',
      (message: {
        type: string;
        appended?: number;
        events?: number;
        ms?: number;
        error?: string;
      }) => {
        if (message.type === 'progress') {
          onProgress(message.appended ?? 0);
        } else if (message.type === 'done') {
          onProgress(message.events ?? 0);
          resolve({ events: message.events ?? 0, ms: message.ms ?? 0 });
        } else if (message.type === 'failed') {
          reject(new Error(`writer process failed: ${message.error}`));
        }
      },
    );
    child.once('exit', (code) => code !== 0 && reject(new Error(`writer process exited ${code}`)));
  });
}

async function flow(b: Bench, options: FlowOptions): Promise<FlowResult> {
  const {
    relayBatch,
    events: n,
    backlog = false,
    consume = false,
    writerProcess = false,
  } = options;
  const name = `${b.runId}.flow-${relayBatch}${backlog ? '-backlog' : ''}${consume ? '-consumer' : ''}${writerProcess ? '-split' : ''}`;
  const topic = `${name}.events.v1`;
  progress(
    `2. ${backlog ? 'relay draining a backlog of' : consume ? 'append→relay→consumer,' : 'append+relay,'} ${n.toLocaleString('en-US')} events (${WRITERS} writers at batch ${RELAY.appendBatch}), relay batchSize ${relayBatch}`,
  );
  const transport = new KafkaTransport(b.kafka, { partitions: 6, logger: silentLogger });
  await transport.ensureTopics([topic]);
  await skipExistingEvents(b, name);
  const relay = new EventRelay({
    pool: b.pool,
    store: b.store,
    transport,
    topic,
    name,
    batchSize: relayBatch,
    logger: silentLogger,
  });
  const handledAt: number[] = [];
  const consumer = consume
    ? new EventConsumer<PoolClient>({
        name: `${name}.counter`,
        topics: [topic],
        transport,
        schema: 'mission',
        unitOfWork: pgUnitOfWork(b.pool),
        logger: silentLogger,
        handle: () => {
          handledAt.push(now());
          return Promise.resolve();
        },
      })
    : undefined;
  try {
    await consumer?.start();
    relay.start();
    // Warm-up: the relay leads and its producer is connected, the consumer has joined its group.
    await writeLoad(`${name}-warmup`, 10, storeWrite(b), 25);
    const warm = await waitFor(
      () => relay.publishedCount >= 100 && (!consumer || handledAt.length >= 100),
      30_000,
      () => `warm-up: published ${relay.publishedCount}, handled ${handledAt.length}`,
    );
    if (warm === undefined) {
      throw new Error('warm-up events did not come through');
    }
    if (backlog) {
      await relay.stop();
    }
    const published0 = relay.publishedCount;
    const handled0 = handledAt.length;
    let appended = 0;
    const counting: Write = async (stream, version, count) => {
      await storeWrite(b)(stream, version, count);
      appended += count;
    };
    const status = () =>
      `appended ${appended}, published ${relay.publishedCount - published0}` +
      (consumer ? `, handled ${handledAt.length - handled0}` : '');

    const cpu = cpuMeter();
    const started = now();
    const load = options.writerProcess
      ? writeInChild(b, `${name}-load`, n / WRITERS, (count) => (appended = count))
      : writeLoad(`${name}-load`, RELAY.appendBatch, counting, n / WRITERS);
    if (backlog) {
      await load;
      relay.start();
    }
    const relayFrom = now();
    const relayedAt = await waitFor(
      () => relay.publishedCount - published0 >= n,
      RELAY.timeoutMs,
      status,
    );
    const { ms: appendMs } = await load;
    const result: FlowResult = {
      ...options,
      append: perSecond(n, appendMs),
      relay:
        relayedAt === undefined ? 0 : perSecond(n, relayedAt - (backlog ? relayFrom : started)),
      cpu: cpu(),
    };
    if (consumer) {
      const remainingMs = Math.max(0, RELAY.timeoutMs - (now() - started));
      await waitFor(() => handledAt.length - handled0 >= n, remainingMs, status);
      result.cpu = cpu();
      const mine = handledAt.slice(handled0);
      result.consumed = mine.length;
      if (mine.length > 1) {
        result.consumer = perSecond(mine.length - 1, mine.at(-1)! - mine[0]!);
        result.endToEnd = perSecond(mine.length, mine.at(-1)! - started);
      }
    }
    progress(
      `  append ${fmtRate(result.append)}, ${backlog ? 'relay alone' : 'append+relay'} ${fmtRate(result.relay)}` +
        (consumer
          ? `, consumer ${fmtRate(result.consumer ?? 0)}, end-to-end ${fmtRate(result.endToEnd ?? 0)} (${result.consumed}/${n} handled)`
          : '') +
        `; cpu ${fmtCpu(result.cpu)}`,
    );
    return result;
  } finally {
    await consumer?.stop();
    await relay.stop();
    await transport.close();
  }
}

/**
 * The Kafka client's own ceiling: kafkajs sending records shaped like the relay's (same key,
 * payload and CloudEvents headers) from memory, no Postgres involved. The relay cannot beat it.
 */
async function producerCeiling(b: Bench, batch: number): Promise<{ rate: number; cpu: CpuUse }> {
  const topic = `${b.runId}.ceiling.events.v1`;
  progress(
    `2. kafkajs producer alone: ${RELAY.events.toLocaleString('en-US')} records with the relay's headers, batch ${batch}`,
  );
  const transport = new KafkaTransport(b.kafka, { partitions: 6, logger: silentLogger });
  const stored = await b.store.readAll(b.pool, undefined, 1);
  if (stored.length === 0) {
    throw new Error('no stored event to copy headers from');
  }
  const headers = toKafkaHeaders(envelopeOf(stored[0]!));
  const records = range(batch).map((i) => ({
    topic,
    key: `stream-${i % 64}`,
    value: PAYLOAD,
    headers: { ...headers, [KafkaHeader.id]: newEventId() },
  }));
  try {
    await transport.publish(records.slice(0, 100)); // connect and create the topic first
    const cpu = cpuMeter();
    const started = now();
    for (let sent = 0; sent < RELAY.events; sent += batch) {
      await transport.publish(records);
    }
    const result = { rate: perSecond(RELAY.events, now() - started), cpu: cpu() };
    progress(`  ${fmtRate(result.rate)}; cpu ${fmtCpu(result.cpu)}`);
    return result;
  } finally {
    await transport.close();
  }
}

// ---- 3. Commit → consumer handler latency at a fixed rate -----------------------------------

type LatencyResult = {
  transport: string;
  rate: number;
  /** The append rate the paced writer achieved. */
  offered: number;
  /** Events committed but not handled before the drain timeout. */
  missing: number;
  latency: Percentiles;
  cpu: CpuUse;
};

async function commitToHandlerLatency(
  b: Bench,
  kind: 'kafka' | 'in-process',
  rate: number,
  seconds: number,
): Promise<LatencyResult> {
  const total = rate * seconds;
  const name = `${b.runId}.latency-${kind}-${rate}`;
  const topic = `${name}.events.v1`;
  progress(
    `3. commit→handler latency over ${kind}: ${rate} events/s for ${seconds}s, single-event appends`,
  );
  let transport: EventTransport;
  if (kind === 'kafka') {
    const kafkaTransport = new KafkaTransport(b.kafka, { partitions: 6, logger: silentLogger });
    await kafkaTransport.ensureTopics([topic]);
    transport = kafkaTransport;
  } else {
    transport = new InProcessTransport();
  }
  await skipExistingEvents(b, name);
  const committed = new Map<string, number>();
  const received = new Map<string, number>();
  const relay = new EventRelay({
    pool: b.pool,
    store: b.store,
    transport,
    topic,
    name,
    logger: silentLogger,
  });
  const consumer = new EventConsumer<PoolClient>({
    name: `${name}.timer`,
    topics: [topic],
    transport,
    schema: 'mission',
    unitOfWork: pgUnitOfWork(b.pool),
    logger: silentLogger,
    handle: (event) => {
      received.set(event.envelope.id, now());
      return Promise.resolve();
    },
  });
  try {
    await consumer.start();
    relay.start();
    await writeLoad(`${name}-warmup`, 1, storeWrite(b), 25);
    if (
      (await waitFor(
        () => received.size >= 100,
        30_000,
        () => `warm-up: ${received.size}`,
      )) === undefined
    ) {
      throw new Error('warm-up events did not come through');
    }
    received.clear();

    // One paced writer: event i is due at i ms; it round-robins over a few streams, so an append
    // that returns late does not hold back the next one (each stream's appends stay in order).
    const versions = range(LATENCY.streams).map(() => 0);
    const chains = range(LATENCY.streams).map(() => Promise.resolve());
    const appendOne = async (stream: number) => {
      const id = newEventId();
      await b.store.append(
        b.pool,
        `${name}-s${stream}`,
        versions[stream]!,
        [{ id, type: TYPE, payload: PAYLOAD }],
        context,
      );
      committed.set(id, now()); // autocommit: the INSERT returning means it committed
      versions[stream]! += 1;
    };
    const cpu = cpuMeter();
    const started = now();
    let nextStatus = started + 2_000;
    for (let issued = 0; issued < total;) {
      const due = Math.min(total, Math.floor(((now() - started) * rate) / 1000) + 1);
      for (; issued < due; issued++) {
        const stream = issued % LATENCY.streams;
        chains[stream] = chains[stream]!.then(() => appendOne(stream));
      }
      if (now() > nextStatus) {
        progress(`  issued ${issued}, committed ${committed.size}, received ${received.size}`);
        nextStatus += 2_000;
      }
      await sleep(1);
    }
    await Promise.all(chains);
    const offered = perSecond(total, now() - started);
    await waitFor(
      () => received.size >= total,
      DRAIN_MS,
      () => `committed ${committed.size}, received ${received.size}`,
    );
    const latencies = [...committed].flatMap(([id, at]) => {
      const got = received.get(id);
      return got === undefined ? [] : [got - at];
    });
    const result: LatencyResult = {
      transport: kind,
      rate,
      offered,
      missing: total - latencies.length,
      latency: percentiles(latencies),
      cpu: cpu(),
    };
    progress(
      `  ${fmtMs(result.latency)} (appended at ${fmtRate(offered)}, ${result.missing} not handled; cpu ${fmtCpu(result.cpu)})`,
    );
    return result;
  } finally {
    await consumer.stop();
    await relay.stop();
    await transport.close();
  }
}

// ---- Setup, report, cleanup -------------------------------------------------------------------

/**
 * Postgres's start time and Kafka's cluster id: if they differ after the run, an engine restarted
 * (or Kafka was re-created) mid-run and the figures measured that. A Kafka restart on the same
 * storage keeps its id; it shows as a stall in the progress lines instead.
 */
async function engineIdentity(b: Bench): Promise<string> {
  const { rows } = await b.pool.query<{ started: string }>(
    'SELECT pg_postmaster_start_time()::text AS started',
  );
  const admin = b.kafka.admin();
  try {
    await admin.connect();
    const { clusterId, brokers } = await admin.describeCluster();
    return `postgres up since ${rows[0]!.started}, kafka cluster ${clusterId} (${brokers.length} broker)`;
  } finally {
    await admin.disconnect();
  }
}

async function cleanUp(b: Bench, baseUrl: string): Promise<void> {
  await b.pool.end().catch(() => undefined);
  const admin = b.kafka.admin();
  try {
    await admin.connect();
    const { groups } = await admin.listGroups();
    const mine = groups.map((group) => group.groupId).filter((id) => id.startsWith(b.runId));
    if (mine.length > 0) {
      // A group whose offsets already expired is gone by now: not an error.
      await admin.deleteGroups(mine).catch(() => undefined);
    }
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(b.runId));
    if (topics.length > 0) {
      await admin.deleteTopics({ topics });
    }
    progress(`cleaned up: ${topics.length} topics, ${mine.length} consumer groups`);
  } catch (error) {
    progress(`Kafka clean-up of ${b.runId} incomplete: ${String(error)}`);
  } finally {
    await admin.disconnect();
  }
  await dropDatabase(baseUrl, b.runId);
  progress(`dropped database ${b.runId}`);
}

type Results = {
  append: AppendResult[];
  concurrent: FlowResult[];
  backlog: FlowResult;
  ceiling: { rate: number; cpu: CpuUse };
  consumer: FlowResult;
  kafka: LatencyResult;
  inProcess: LatencyResult;
  probeKafka: LatencyResult;
  probeInProcess: LatencyResult;
  enginesRestarted: boolean;
};

function latencyRows(kafka: LatencyResult, inProcess: LatencyResult): string[][] {
  return [
    [
      `commit→handler @${kafka.rate}/s, Kafka`,
      fmtMs(kafka.latency),
      `in-process p99 ${inProcess.latency.p99} ms`,
      `${round2(kafka.latency.p99 / inProcess.latency.p99)} (p99)`,
      fmtCpu(kafka.cpu),
    ],
    [
      `commit→handler @${inProcess.rate}/s, in-process`,
      fmtMs(inProcess.latency),
      '',
      '',
      fmtCpu(inProcess.cpu),
    ],
  ];
}

function report(r: Results): void {
  const batch = (size: number) => r.append.find((run) => run.batch === size)!;
  const best = r.concurrent.reduce((a, run) => (run.relay > a.relay ? run : a));
  const appendAlone = batch(RELAY.appendBatch).store;
  const ratio = (a: number, b: number) => `${round2(a / b)}`;
  const p99Ratio = round2(r.kafka.latency.p99 / r.inProcess.latency.p99);
  const rows: string[][] = [
    ...r.append.map((run) => [
      `append, batch ${run.batch}`,
      fmtRate(run.store),
      `raw INSERT ${fmtRate(run.raw)}`,
      ratio(run.store, run.raw),
      fmtCpu(run.cpu),
    ]),
    ...r.concurrent.map((run) => [
      `append+relay→Kafka, relay batch ${run.relayBatch}${run.writerProcess ? ', writers in own process' : ''}`,
      fmtRate(run.relay),
      `append alone ${fmtRate(appendAlone)}`,
      ratio(run.relay, appendAlone),
      fmtCpu(run.cpu),
    ]),
    [
      `relay→Kafka alone (backlog), batch ${r.backlog.relayBatch}`,
      fmtRate(r.backlog.relay),
      `append alone ${fmtRate(appendAlone)}`,
      ratio(r.backlog.relay, appendAlone),
      fmtCpu(r.backlog.cpu),
    ],
    [
      '  kafkajs producer alone, same records',
      fmtRate(r.ceiling.rate),
      `relay alone ${fmtRate(r.backlog.relay)}`,
      ratio(r.ceiling.rate, r.backlog.relay),
      fmtCpu(r.ceiling.cpu),
    ],
    [
      `append→relay→consumer, ${r.consumer.events / 1000}k events`,
      fmtRate(r.consumer.endToEnd ?? 0),
      `append+relay ${fmtRate(best.relay)}`,
      ratio(r.consumer.endToEnd ?? 0, best.relay),
      fmtCpu(r.consumer.cpu),
    ],
    [
      '  consumer alone (inbox tx per run)',
      fmtRate(r.consumer.consumer ?? 0),
      `relay alone ${fmtRate(r.backlog.relay)}`,
      ratio(r.consumer.consumer ?? 0, r.backlog.relay),
      '',
    ],
    ...latencyRows(r.kafka, r.inProcess),
    ...latencyRows(r.probeKafka, r.probeInProcess),
  ];
  process.stdout.write(
    `\n${table(['measurement', 'result', 'baseline', 'ratio', 'cpu'], rows)}\n\n`,
  );
  const goals = { appendRelay: best.relay >= 20_000, p99: r.kafka.latency.p99 <= 50 };
  process.stdout.write(
    `goal append+relay ≥ 20,000 ev/s: ${goals.appendRelay ? 'met' : 'NOT met'} (${fmtRate(best.relay)}, relay batch ${best.relayBatch}${best.writerProcess ? ', writers in own process' : ''})\n` +
      `goal p99 commit→consumer ≤ 50 ms at ${LATENCY.rate} ev/s: ${goals.p99 ? 'met' : 'NOT met'} (${r.kafka.latency.p99} ms, writer achieved ${fmtRate(r.kafka.offered)})\n` +
      (r.enginesRestarted
        ? 'WARNING: an engine restarted during the run; these figures include it\n'
        : ''),
  );
  const json = {
    appendEventsPerSec: batch(100).store,
    appendRelayEventsPerSec: best.relay,
    commitToConsumerP50Ms: r.kafka.latency.p50,
    commitToConsumerP99Ms: r.kafka.latency.p99,
    appendBatch1EventsPerSec: batch(1).store,
    appendBatch10EventsPerSec: batch(10).store,
    appendBatch100EventsPerSec: batch(100).store,
    rawInsertBatch1EventsPerSec: batch(1).raw,
    rawInsertBatch10EventsPerSec: batch(10).raw,
    rawInsertBatch100EventsPerSec: batch(100).raw,
    relayBatchSize: best.relayBatch,
    appendRelayWritersInOwnProcess: best.writerProcess ?? false,
    relayToKafkaEventsPerSec: r.backlog.relay,
    kafkaProducerCeilingEventsPerSec: r.ceiling.rate,
    consumerEventsPerSec: r.consumer.consumer ?? null,
    endToEndEventsPerSec: r.consumer.endToEnd ?? null,
    commitToConsumerP95Ms: r.kafka.latency.p95,
    commitToConsumerMaxMs: r.kafka.latency.max,
    latencyAppendRatePerSec: r.kafka.offered,
    inProcessP50Ms: r.inProcess.latency.p50,
    inProcessP99Ms: r.inProcess.latency.p99,
    kafkaVsInProcessP99Ratio: p99Ratio,
    latencyEventsMissing: r.kafka.missing + r.inProcess.missing,
    probeRatePerSec: LATENCY.probeRate,
    probeKafkaP50Ms: r.probeKafka.latency.p50,
    probeKafkaP99Ms: r.probeKafka.latency.p99,
    probeInProcessP99Ms: r.probeInProcess.latency.p99,
    appendRelayGoalMet: goals.appendRelay,
    latencyGoalMet: goals.p99,
    enginesRestarted: r.enginesRestarted,
    runSeconds: round1(elapsedSeconds()),
  };
  process.stdout.write(`${JSON.stringify(json)}\n`);
}

async function main(): Promise<void> {
  const runId = `mc_bench_${Date.now().toString(36)}_${process.pid}`;
  progress(`event backbone benchmark ${runId}: engines`);
  ensureEngines(['postgres', 'kafka']);
  const env = engineEnv();
  const url = await createDatabase(env.DATABASE_URL, runId);
  const b: Bench = {
    runId,
    databaseUrl: url,
    pool: new Pool({ connectionString: url, max: 16 }),
    store: new EventStore({ schema: 'mission', source: 'mission' }),
    kafka: new Kafka({ clientId: runId, brokers: env.KAFKA_BROKERS, logLevel: logLevel.NOTHING }),
  };
  // A connection the server drops (e.g. a Postgres restart) fails the run instead of crashing it.
  const lost = (error: Error) => progress(`Postgres connection lost: ${error.message}`);
  b.pool.on('error', lost);
  b.pool.on('connect', (client) => client.on('error', lost));
  let cleaning: Promise<void> | undefined;
  const cleanUpOnce = () => (cleaning ??= cleanUp(b, env.DATABASE_URL));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      progress(`${signal}: cleaning up`);
      void cleanUpOnce().finally(() => process.exit(130));
    });
  }
  try {
    progress(`database ${runId}: migrating the mission schema`);
    await migrateDatabase(url, { services: ['mission'], log: (line) => progress(`  ${line}`) });
    const engines = await engineIdentity(b);
    progress(`engines: ${engines}`);

    const append = await appendThroughput(b);
    const concurrent: FlowResult[] = [];
    for (const relayBatch of RELAY.batchSizes) {
      concurrent.push(await flow(b, { relayBatch, events: RELAY.events }));
    }
    concurrent.push(
      await flow(b, {
        relayBatch: RELAY.batchSizes.at(-1)!,
        events: RELAY.events,
        writerProcess: true,
      }),
    );
    const { relayBatch } = concurrent.reduce((a, run) => (run.relay > a.relay ? run : a));
    const backlog = await flow(b, { relayBatch, events: RELAY.events, backlog: true });
    const ceiling = await producerCeiling(b, relayBatch);
    const consumer = await flow(b, { relayBatch, events: RELAY.consumerEvents, consume: true });
    const latency = async (
      rate: number,
      seconds: number,
    ): Promise<[LatencyResult, LatencyResult]> => [
      await commitToHandlerLatency(b, 'kafka', rate, seconds),
      await commitToHandlerLatency(b, 'in-process', rate, seconds),
    ];
    const [kafka, inProcess] = await latency(LATENCY.rate, LATENCY.seconds);
    const [probeKafka, probeInProcess] = await latency(LATENCY.probeRate, LATENCY.probeSeconds);

    const enginesRestarted = (await engineIdentity(b)) !== engines;
    await cleanUpOnce();
    report({
      append,
      concurrent,
      backlog,
      ceiling,
      consumer,
      kafka,
      inProcess,
      probeKafka,
      probeInProcess,
      enginesRestarted,
    });
  } finally {
    await cleanUpOnce();
  }
}

runBenchmark(main);
