import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { startEventHandlers } from '@mission-control/eventing/nest';
import { engineEnv, RelayRecords, testRunId } from '@mission-control/testing';
import type { DomainEventType, EventInit } from '@mission-control/proto';
import { AppModule } from '../src/app.module';
import { startServiceApp } from '@mission-control/testing';
import { GatewayStandIn, identityTestConfig } from './identity-test-kit';

const EXCHANGE = `mutation ($key: String!) { exchangeAgentKey(key: $key) { accessToken accessTokenExpiresAt } }`;
const TOPIC = `${testRunId()}.agent-keys-spec.agent.events.v1`;

type Key = { agentId: string; keyId: string; key: string; workspaceId: string };

describe('agents exchange the keys the agent service issued them', () => {
  let app: INestApplication;
  let gateway: GatewayStandIn;
  let producer: Producer;
  const records = new RelayRecords('agent');

  beforeAll(async () => {
    const config = await identityTestConfig({ AGENT_EVENTS_TOPIC: TOPIC });
    app = await startServiceApp(AppModule.forRoot(config));
    await startEventHandlers(app);
    gateway = new GatewayStandIn(app, config);
    const kafka = new Kafka({
      clientId: 'agent-keys-spec',
      brokers: engineEnv().KAFKA_BROKERS,
      logLevel: logLevel.NOTHING,
    });
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  /** What the agent service's relay publishes for a command on agent `agentId`. */
  async function publish<T extends DomainEventType>(
    workspaceId: string,
    agentId: string,
    type: T,
    data: EventInit<T>,
    times = 1,
  ) {
    const record = records.next({ workspaceId, subject: `agent-${agentId}`, type, data });
    // The same record more than once is what a relay re-publishing after a crash looks like.
    await producer.send({ topic: TOPIC, messages: Array.from({ length: times }, () => record) });
  }

  async function issue(
    workspaceId = randomUUID(),
    agentId = randomUUID(),
    expiresAt: Date | null = null,
  ): Promise<Key> {
    const prefix = randomBytes(6).toString('hex');
    const key = `mca_${prefix}_${randomBytes(32).toString('base64url')}`;
    const keyId = randomUUID();
    await publish(workspaceId, agentId, 'agent.v1.AgentKeyIssued', {
      agentId,
      keyId,
      prefix,
      secretSha256: createHash('sha256').update(key).digest(),
      expiresAtUnixMs: expiresAt ? BigInt(expiresAt.getTime()) : 0n,
    });
    return { agentId, keyId, key, workspaceId };
  }

  const exchange = (key: string) =>
    gateway.gql<{ exchangeAgentKey: { accessToken: string } }>(EXCHANGE, { key });

  /** The consumer applies events within moments; wait for the answer to settle. */
  async function eventually<T>(probe: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const value = await probe();
      if (done(value) || Date.now() > deadline) {
        return value;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it('gives a key’s agent a token for its workspace, naming the key, and no role', async () => {
    const issued = await issue();
    const body = await eventually(
      () => exchange(issued.key),
      (answer) => !answer.errors,
    );
    expect(body.errors).toBeUndefined();
    const principal = await gateway.principalOf(body.data!.exchangeAgentKey.accessToken);
    expect(principal).toMatchObject({
      kind: 'agent',
      subject: issued.agentId,
      workspaceId: issued.workspaceId,
      role: null,
      scopes: null,
      agentKeyId: issued.keyId,
    });
  });

  it('refuses revoked, unknown, altered and malformed keys with one answer', async () => {
    const revoked = await issue();
    await eventually(
      () => exchange(revoked.key),
      (answer) => !answer.errors,
    );
    await publish(revoked.workspaceId, revoked.agentId, 'agent.v1.AgentKeyRevoked', {
      agentId: revoked.agentId,
      keyId: revoked.keyId,
    });
    const afterRevoke = await eventually(
      () => exchange(revoked.key),
      (answer) => Boolean(answer.errors),
    );
    const altered = `${revoked.key.slice(0, -2)}xx`;
    const unknown = `mca_000000000000_${randomBytes(32).toString('base64url')}`;
    for (const body of [
      afterRevoke,
      await exchange(altered),
      await exchange(unknown),
      await exchange('not-a-key'),
    ]) {
      expect(body.data).toBeNull();
      expect(body.errors?.map((error) => [error.extensions.code, error.message])).toEqual([
        ['UNAUTHENTICATED', 'Invalid agent key'],
      ]);
    }
  });

  it('applies a redelivered issue once and a later revoke still holds', async () => {
    const workspaceId = randomUUID();
    const agentId = randomUUID();
    const prefix = randomBytes(6).toString('hex');
    const key = `mca_${prefix}_${randomBytes(32).toString('base64url')}`;
    const keyId = randomUUID();
    const issued = {
      agentId,
      keyId,
      prefix,
      secretSha256: createHash('sha256').update(key).digest(),
    };
    await publish(workspaceId, agentId, 'agent.v1.AgentKeyIssued', issued, 3);
    await publish(workspaceId, agentId, 'agent.v1.AgentKeyRevoked', { agentId, keyId });
    // Replayed from the start (a relay restart): the old issue must not bring the key back.
    records.rewind(`agent-${agentId}`);
    await publish(workspaceId, agentId, 'agent.v1.AgentKeyIssued', issued);
    const marker = await issue();
    // Once a later key works, everything before it was applied.
    await eventually(
      () => exchange(marker.key),
      (answer) => !answer.errors,
    );
    expect((await exchange(key)).errors?.[0]?.extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a sub-agent’s key once it expired, before any revocation arrives', async () => {
    const expiring = await issue(randomUUID(), randomUUID(), new Date(Date.now() + 1_500));
    const before = await eventually(
      () => exchange(expiring.key),
      (answer) => !answer.errors,
    );
    expect(before.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect((await exchange(expiring.key)).errors?.map((error) => error.extensions.code)).toEqual([
      'UNAUTHENTICATED',
    ]);
  });
});
