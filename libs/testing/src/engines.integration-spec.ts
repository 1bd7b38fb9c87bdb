import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { FieldType, InfluxDB } from 'influx';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { engineEnv, testRunId } from './test-env';

// Smoke tests: each engine is the real thing, reached over a real connection.
describe('engines', () => {
  const env = engineEnv();
  const runId = testRunId();

  it('Postgres answers in the run database', async () => {
    const client = new Client({ connectionString: env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; version: string }>(
        'select current_database() as db, current_setting($1) as version',
        ['server_version_num'],
      );
      expect(rows[0]?.db).toBe(runId);
      expect(Number(rows[0]?.version)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });

  it('Kafka lists the test topic and round-trips a record through a consumer group', async () => {
    const kafka = new Kafka({
      clientId: 'smoke',
      brokers: env.KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    const topic = `${runId}.smoke`;
    const admin = kafka.admin();
    await admin.connect();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const consumer = kafka.consumer({ groupId: `${runId}.smoke-group` });
    try {
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }], waitForLeaders: true });
      expect(await admin.listTopics()).toContain(topic);

      await producer.connect();
      await producer.send({
        topic,
        messages: [
          { key: 'mission-1', value: 'MissionCreated', headers: { ce_type: 'mission.created' } },
        ],
      });

      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      const received = await new Promise<{ key: string; value: string; type: string }>(
        (resolve) => {
          void consumer.run({
            eachMessage: ({ message }) => {
              resolve({
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                type: message.headers?.ce_type?.toString() ?? '',
              });
              return Promise.resolve();
            },
          });
        },
      );
      expect(received).toEqual({
        key: 'mission-1',
        value: 'MissionCreated',
        type: 'mission.created',
      });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  });

  it('Elasticsearch answers its version, indexes and searches with a highlight', async () => {
    const client = new Elasticsearch({ node: env.ELASTICSEARCH_URL });
    const index = `${runId}-smoke`;
    try {
      // GET / is served by a module the integ-test distribution lacks (as are language analyzers);
      // nodes info carries the version.
      const nodes = await client.nodes.info({ node_id: '_local', metric: 'settings' });
      expect(Object.values(nodes.nodes)[0]?.version).toMatch(/^8\./);

      await client.indices.create({
        index,
        mappings: {
          properties: {
            title: { type: 'text', analyzer: 'standard' },
            workspaceId: { type: 'keyword' },
          },
        },
      });
      await client.index({
        index,
        id: 'm1',
        document: { title: 'Deploy the landing page', workspaceId: 'w1' },
      });
      await client.index({
        index,
        id: 'm2',
        document: { title: 'Write release notes', workspaceId: 'w1' },
      });
      await client.indices.refresh({ index });

      const result = await client.search<{ title: string }>({
        index,
        query: {
          bool: { must: { match: { title: 'DEPLOY' } }, filter: { term: { workspaceId: 'w1' } } },
        },
        highlight: { fields: { title: {} } },
      });
      expect(result.hits.hits.map((hit) => hit._id)).toEqual(['m1']);
      expect(result.hits.hits[0]?.highlight?.title).toEqual(['<em>Deploy</em> the landing page']);
    } finally {
      await client.close();
    }
  });

  it('InfluxDB returns written points grouped by time', async () => {
    const influx = new InfluxDB({
      host: new URL(env.INFLUX_URL).hostname,
      port: Number(new URL(env.INFLUX_URL).port),
      database: runId,
      schema: [
        { measurement: 'missions_done', fields: { count: FieldType.INTEGER }, tags: ['workspace'] },
      ],
    });
    await influx.createDatabase(runId);
    const minute = 60_000_000_000n;
    const base = BigInt(Date.UTC(2026, 0, 1, 12, 0)) * 1_000_000n;
    await influx.writePoints(
      [0n, 10n, 70n, 130n, 135n].map((seconds) => ({
        measurement: 'missions_done',
        tags: { workspace: 'w1' },
        fields: { count: 1 },
        timestamp: (base + seconds * 1_000_000_000n).toString(),
      })),
      { precision: 'n' },
    );
    const rows = await influx.query<{ time: Date; total: number }>(
      `select sum("count") as total from missions_done where workspace = 'w1' and time >= ${base} and time < ${
        base + 3n * minute
      } group by time(1m)`,
    );
    expect(rows.map((row) => [row.time.toISOString(), row.total])).toEqual([
      ['2026-01-01T12:00:00.000Z', 2],
      ['2026-01-01T12:01:00.000Z', 1],
      ['2026-01-01T12:02:00.000Z', 2],
    ]);
  });
});
