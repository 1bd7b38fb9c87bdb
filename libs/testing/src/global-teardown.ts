import { Client as Elasticsearch } from '@elastic/elasticsearch';
import { InfluxDB } from 'influx';
import { Kafka, logLevel } from 'kafkajs';
import { dropDatabase } from './test-database';
import { engineEnv } from './test-env';

/** Removes everything this run created, found by its run id prefix. Engines stay up for the next run. */
export default async function tearDownTestRun(): Promise<void> {
  const runId = process.env.MC_TEST_RUN_ID;
  const baseUrl = process.env.MC_TEST_BASE_DATABASE_URL;
  if (!runId || !baseUrl || process.env.MC_KEEP_TEST_DATA === '1') {
    return;
  }
  const env = engineEnv();
  const results = await Promise.allSettled([
    dropDatabase(baseUrl, runId),
    dropElasticsearchIndices(env.ELASTICSEARCH_URL, runId),
    dropInfluxDatabases(env.INFLUX_URL, runId),
    deleteKafkaTopics(env.KAFKA_BROKERS, runId),
  ]);
  for (const result of results) {
    if (result.status === 'rejected') {
      process.stderr.write(`test cleanup for ${runId} incomplete: ${String(result.reason)}\n`);
    }
  }
}

async function dropElasticsearchIndices(node: string, runId: string) {
  const client = new Elasticsearch({ node });
  try {
    await client.indices.delete({
      index: `${runId}*`,
      ignore_unavailable: true,
      allow_no_indices: true,
    });
  } finally {
    await client.close();
  }
}

async function dropInfluxDatabases(url: string, runId: string) {
  const influx = new InfluxDB(url);
  const names = await influx.getDatabaseNames();
  await Promise.all(
    names.filter((name) => name.startsWith(runId)).map((name) => influx.dropDatabase(name)),
  );
}

async function deleteKafkaTopics(brokers: string[], runId: string) {
  const admin = new Kafka({
    clientId: 'test-teardown',
    brokers,
    logLevel: logLevel.NOTHING,
  }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(runId));
    if (topics.length > 0) {
      await admin.deleteTopics({ topics });
    }
  } finally {
    await admin.disconnect();
  }
}
