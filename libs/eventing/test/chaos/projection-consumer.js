// A projection consumer in its own process, so a chaos test can SIGKILL it mid-batch.
// Env: DATABASE_URL, KAFKA_BROKERS, TOPIC, CONSUMER, TABLE. Uses the built library (dist).
const { Kafka, logLevel } = require('kafkajs');
const { Pool } = require('pg');
const {
  EventConsumer,
  KafkaTransport,
  pgUnitOfWork,
  silentLogger,
} = require('../../dist/index.js');

const { DATABASE_URL, KAFKA_BROKERS, TOPIC, CONSUMER, TABLE } = process.env;
const pool = new Pool({ connectionString: DATABASE_URL, max: 4 });
pool.on('error', () => {});
const kafka = new Kafka({
  clientId: CONSUMER,
  brokers: KAFKA_BROKERS.split(','),
  logLevel: logLevel.NOTHING,
});
// The broker's minimum session: a killed member's partitions move on after 6 s, not 30.
const transport = new KafkaTransport(kafka, {
  partitions: 3,
  sessionTimeoutMs: 6_000,
  logger: silentLogger,
});

const consumer = new EventConsumer({
  name: CONSUMER,
  topics: [TOPIC],
  transport,
  schema: 'mission',
  unitOfWork: pgUnitOfWork(pool),
  logger: silentLogger,
  async handle(event, tx) {
    await tx.query(
      `INSERT INTO mission.${TABLE} (stream_id, total, events) VALUES ($1, $2, 1)
       ON CONFLICT (stream_id) DO UPDATE SET total = ${TABLE}.total + excluded.total, events = ${TABLE}.events + 1`,
      [event.envelope.subject, Number(event.payload.toString())],
    );
    // Slow enough that a kill lands inside a batch.
    await new Promise((resolve) => setTimeout(resolve, 1));
  },
});

consumer.start().then(
  () => process.stdout.write('consuming\n'),
  (error) => {
    process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  },
);
