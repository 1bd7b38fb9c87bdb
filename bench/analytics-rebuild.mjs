#!/usr/bin/env node
// Analytics rebuild benchmark (ARCHITECTURE rule 6): how fast `npm run analytics:rebuild` replays
// the event topics into Elasticsearch and InfluxDB, against how fast Kafka alone hands the same
// records to a consumer that only counts them.
//
//   node bench/analytics-rebuild.mjs            # MC_BENCH_EVENTS (default 20000) events
//
// Needs Postgres, Kafka, Elasticsearch and InfluxDB (deploy/local/infra.sh up). Everything it
// creates is named mc_bench_analytics_<id>… (database, topics, groups, indices, InfluxDB database)
// and removed at the end, also on Ctrl-C. Ends with one JSON line.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const started = performance.now();
const progress = (line) =>
  process.stdout.write(
    `[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`,
  );
const perSecond = (events, ms) => (ms > 0 ? Math.round((events * 1000) / ms) : 0);

const EVENTS = Number(process.env.MC_BENCH_EVENTS ?? 20_000);
const runId = `mc_bench_analytics_${Date.now().toString(36)}`;
const baseUrl = process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/mission_control';
const brokers = (process.env.KAFKA_BROKERS || '127.0.0.1:9092').split(',');
const esUrl = process.env.ELASTICSEARCH_URL || 'http://127.0.0.1:9200';
const influxUrl = process.env.INFLUX_URL || 'http://127.0.0.1:8086';
const topics = { agent: `${runId}.agent.events.v1`, mission: `${runId}.mission.events.v1` };

function run(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
}

progress('engines up and the analytics service built (nx, cached)');
run('bash', ['deploy/local/infra.sh', 'up']);
run('npx', ['nx', 'run', 'analytics:build', '--outputStyle=static']);

const { Kafka, logLevel } = require('kafkajs');
const { Client: Elasticsearch } = require('@elastic/elasticsearch');
const { InfluxDB } = require('influx');
const { migrateDatabase } = require(path.join(root, 'libs/database/dist/index.js'));
const { createDatabase, dropDatabase } = require(path.join(root, 'libs/testing/dist/index.js'));
const proto = require(path.join(root, 'proto/dist/index.js'));
const eventing = require(path.join(root, 'libs/eventing/dist/index.js'));
const { Pool } = require('pg');

const kafka = new Kafka({ clientId: runId, brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
const databaseUrl = new URL(baseUrl);
databaseUrl.pathname = `/${runId}`;

let cleaned = false;
async function cleanUp() {
  if (cleaned) {
    return;
  }
  cleaned = true;
  const es = new Elasticsearch({ node: esUrl });
  const influx = new InfluxDB(influxUrl);
  const results = await Promise.allSettled([
    dropDatabase(baseUrl, runId),
    es.indices.delete({ index: `${runId}*`, ignore_unavailable: true, allow_no_indices: true }),
    influx.dropDatabase(runId),
    (async () => {
      const all = await admin.listTopics();
      const mine = all.filter((topic) => topic.startsWith(runId));
      if (mine.length > 0) {
        await admin.deleteTopics({ topics: mine });
      }
      const { groups } = await admin.listGroups();
      const groupIds = groups.map((group) => group.groupId).filter((id) => id.startsWith(runId));
      if (groupIds.length > 0) {
        await admin.deleteGroups(groupIds).catch(() => undefined);
      }
    })(),
  ]);
  await es.close();
  await admin.disconnect();
  const failed = results.filter((result) => result.status === 'rejected');
  progress(
    failed.length === 0
      ? `removed ${runId}*`
      : `cleanup incomplete: ${failed.map((f) => f.reason).join('; ')}`,
  );
}
process.on('SIGINT', () => {
  void cleanUp().finally(() => process.exit(130));
});

/** A realistic mix: per mission create, start, comment, finish; per agent a day of status flips. */
function* workload(total) {
  const { missionV1, agentV1 } = proto;
  const workspaces = Array.from({ length: 10 }, () => randomUUID());
  const base = Date.UTC(2025, 0, 6, 8);
  let produced = 0;
  for (let n = 0; produced < total; n += 1) {
    const workspaceId = workspaces[n % workspaces.length];
    if (n % 10 === 9) {
      const agentId = randomUUID();
      const statuses = [agentV1.AgentStatus.IDLE, agentV1.AgentStatus.BUSY];
      let from = agentV1.AgentStatus.INACTIVE;
      for (let i = 0; i < 20 && produced < total; i += 1, produced += 1) {
        const to = i === 19 ? agentV1.AgentStatus.OFFLINE : statuses[i % 2];
        yield {
          topic: topics.agent,
          streamId: `agent-${agentId}`,
          version: i + 1,
          workspaceId,
          time: new Date(base + n * 60_000 + i * 600_000),
          type: 'agent.v1.AgentStatusChanged',
          data: { agentId, fromStatus: from, toStatus: to },
        };
        from = to;
      }
      continue;
    }
    const missionId = randomUUID();
    const { BoardColumn } = missionV1;
    const events = [
      [
        'mission.v1.MissionCreated',
        {
          missionId,
          title: `Mission ${n}`,
          description: `Survey sector ${n} for helium and ice`,
          tags: [`sector-${n % 50}`],
          createdBy: 'bench',
          column: BoardColumn.BACKLOG,
          rank: 'a0',
          workspaceId,
        },
      ],
      [
        'mission.v1.MissionMoved',
        {
          missionId,
          fromColumn: BoardColumn.BACKLOG,
          toColumn: BoardColumn.IN_PROGRESS,
          rank: 'a0',
        },
      ],
      [
        'mission.v1.CommentAdded',
        {
          missionId,
          commentId: randomUUID(),
          author: 'bench',
          body: `Sector ${n} shows traces of water`,
        },
      ],
      [
        'mission.v1.MissionMoved',
        { missionId, fromColumn: BoardColumn.IN_PROGRESS, toColumn: BoardColumn.DONE, rank: 'a0' },
      ],
    ];
    for (let i = 0; i < events.length && produced < total; i += 1, produced += 1) {
      const [type, data] = events[i];
      yield {
        topic: topics.mission,
        streamId: `mission-${missionId}`,
        version: i + 1,
        workspaceId,
        time: new Date(base + n * 60_000 + i * 3_600_000),
        type,
        data,
      };
    }
  }
}

async function seed() {
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 6 })),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let batch = [];
  const flush = async () => {
    if (batch.length > 0) {
      const byTopic = new Map();
      for (const record of batch) {
        byTopic.set(record.topic, [...(byTopic.get(record.topic) ?? []), record]);
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, records]) => ({
          topic,
          messages: records.map(({ key, value, headers }) => ({ key, value, headers })),
        })),
      });
      batch = [];
    }
  };
  for (const event of workload(EVENTS)) {
    const envelope = proto.createEnvelope({
      type: event.type,
      source: proto.eventSource(event.topic === topics.agent ? 'agent' : 'mission'),
      subject: event.streamId,
      workspaceId: event.workspaceId,
      actor: { kind: 'system', id: 'bench' },
      correlationId: randomUUID(),
      causationId: null,
      streamVersion: event.version,
      time: event.time,
    });
    batch.push({
      topic: event.topic,
      key: event.streamId,
      value: Buffer.from(proto.encodeEvent(event.type, event.data)),
      headers: proto.toKafkaHeaders(envelope),
    });
    if (batch.length >= 1_000) {
      await flush();
    }
  }
  await flush();
  await producer.disconnect();
}

/** The ceiling: a kafkajs consumer that only counts the same records. */
async function kafkaAlone() {
  const consumer = kafka.consumer({ groupId: `${runId}.count`, maxWaitTimeInMs: 250 });
  await consumer.connect();
  await consumer.subscribe({ topics: Object.values(topics), fromBeginning: true });
  let count = 0;
  let first;
  let done;
  const finished = new Promise((resolve) => {
    done = resolve;
  });
  await consumer.run({
    partitionsConsumedConcurrently: 3,
    eachBatch: async ({ batch }) => {
      first ??= performance.now();
      count += batch.messages.length;
      if (count >= EVENTS) {
        done();
      }
    },
  });
  await finished;
  const ms = performance.now() - first;
  await consumer.disconnect();
  return perSecond(count, ms);
}

/**
 * The backbone's own ceiling: libs/eventing's consumer with its inbox in the analytics schema and
 * a handler that does nothing. What the rebuild adds on top is the projections' own work.
 */
async function inboxAlone() {
  const pool = new Pool({ connectionString: databaseUrl.toString(), max: 10 });
  const transport = new eventing.KafkaTransport(kafka, {
    logger: eventing.silentLogger,
    partitionsConsumedConcurrently: 6,
  });
  let count = 0;
  let first;
  const consumer = new eventing.EventConsumer({
    name: `${runId}.inbox-only`,
    topics: Object.values(topics),
    transport,
    schema: 'analytics',
    unitOfWork: eventing.pgUnitOfWork(pool),
    handle: async () => {
      first ??= performance.now();
      count += 1;
    },
    logger: eventing.silentLogger,
  });
  await consumer.start();
  while (count < EVENTS) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const ms = performance.now() - first;
  await consumer.stop();
  await transport.close();
  await pool.query('DELETE FROM analytics.inbox');
  await pool.end();
  return perSecond(count, ms);
}

function rebuild() {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['services/analytics/dist/rebuild/rebuild.main.js'], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl.toString(),
        KAFKA_BROKERS: brokers.join(','),
        ELASTICSEARCH_URL: esUrl,
        ELASTICSEARCH_INDEX_PREFIX: runId,
        INFLUX_URL: influxUrl,
        INFLUX_DATABASE: runId,
        AGENT_EVENTS_TOPIC: topics.agent,
        MISSION_EVENTS_TOPIC: topics.mission,
        ANALYTICS_CONSUMER_GROUP: `${runId}.analytics`,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let summary;
    let pending = '';
    child.stdout.on('data', (chunk) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        progress(`  rebuild | ${line}`);
        const match = /^rebuild done: (\d+) events in ([\d.]+) s = (\d+) events\/s$/.exec(line);
        if (match) {
          summary = {
            events: Number(match[1]),
            seconds: Number(match[2]),
            eventsPerSecond: Number(match[3]),
          };
        }
      }
    });
    child.on('exit', (code) =>
      code === 0 && summary ? resolve(summary) : reject(new Error(`rebuild exited with ${code}`)),
    );
  });
}

try {
  progress(`database ${runId} with the analytics schema`);
  await createDatabase(baseUrl, runId);
  await migrateDatabase(databaseUrl.toString(), { services: ['analytics'] });
  progress(`seeding ${EVENTS} events into ${Object.values(topics).join(', ')}`);
  const seedStarted = performance.now();
  await seed();
  progress(`  seeded at ${perSecond(EVENTS, performance.now() - seedStarted)} events/s`);
  progress('baseline: kafkajs alone, counting the same records');
  const ceiling = await kafkaAlone();
  progress(`  ${ceiling} events/s`);
  progress('baseline: libs/eventing consumer, inbox only, handler does nothing');
  const inboxCeiling = await inboxAlone();
  progress(`  ${inboxCeiling} events/s`);
  progress('npm run analytics:rebuild (the built CLI) against them');
  const result = await rebuild();
  const ratio = ceiling > 0 ? result.eventsPerSecond / ceiling : 0;
  const inboxRatio = inboxCeiling > 0 ? result.eventsPerSecond / inboxCeiling : 0;
  progress(
    `rebuild ${result.eventsPerSecond} events/s (whole command: index, replay, swap, cleanup) = ` +
      `${(inboxRatio * 100).toFixed(0)}% of the consumer with its inbox alone (${inboxCeiling} events/s), ` +
      `${(ratio * 100).toFixed(1)}% of kafkajs alone (${ceiling} events/s)`,
  );
  process.stdout.write(
    `${JSON.stringify({
      bench: 'analytics-rebuild',
      events: result.events,
      rebuildSeconds: result.seconds,
      rebuildEventsPerSec: result.eventsPerSecond,
      inboxConsumerCeilingEventsPerSec: inboxCeiling,
      kafkaConsumerCeilingEventsPerSec: ceiling,
      ratioToInboxConsumer: Number(inboxRatio.toFixed(3)),
      ratioToKafkaAlone: Number(ratio.toFixed(3)),
    })}\n`,
  );
} catch (error) {
  process.exitCode = 1;
  progress(`failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await cleanUp();
}
