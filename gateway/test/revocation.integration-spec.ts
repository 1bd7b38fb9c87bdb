import { createClient } from 'graphql-ws';
import { Kafka, logLevel } from 'kafkajs';
import WebSocket from 'ws';
import {
  KafkaTransport,
  processEventBus,
  silentLogger,
  type EventBusKind,
  type EventTransport,
} from '@mission-control/eventing';
import { identityV1 } from '@mission-control/proto';
import { engineEnv, testRunId, until } from '@mission-control/testing';
import {
  LiveAuth,
  LiveEventPublisher,
  LiveSockets,
  startLiveGateway,
  type LiveGateway,
} from './support/live-harness';

const env = engineEnv();

/** How long taking access away may take to bite on every replica (PRODUCT W7). */
const WITHIN_MS = 1_000;

describe.each<EventBusKind>(['kafka', 'in-process'])(
  'taking access away on two gateway replicas (%s bus)',
  (bus) => {
    const identityTopic = `${testRunId()}.${bus}.identity.events.v1`;
    const agentTopic = `${testRunId()}.${bus}.agent.events.v1`;
    let transport: EventTransport;
    let identity: LiveEventPublisher;
    let agents: LiveEventPublisher;
    const sockets = new LiveSockets();
    const replicas: LiveGateway[] = [];
    let auth: LiveAuth;

    beforeAll(async () => {
      transport =
        bus === 'kafka'
          ? new KafkaTransport(
              new Kafka({
                clientId: 'revocation-spec',
                brokers: env.KAFKA_BROKERS,
                logLevel: logLevel.NOTHING,
              }),
              { logger: silentLogger },
            )
          : processEventBus();
      identity = new LiveEventPublisher(transport, identityTopic);
      agents = new LiveEventPublisher(transport, agentTopic);
      auth = await LiveAuth.create();
      for (let index = 0; index < 2; index += 1) {
        replicas.push(
          await startLiveGateway({
            bus,
            brokers: env.KAFKA_BROKERS,
            topics: [identityTopic, agentTopic],
            auth,
          }),
        );
      }
    });

    afterAll(async () => {
      sockets.closeAll();
      await Promise.all(replicas.map((replica) => replica.app.close()));
      if (bus === 'kafka') {
        await transport.close();
      }
    });

    /** Resolves with the ms it took until every replica refuses the token, or fails after 5 s. */
    async function refusedEverywhere(token: string, since: number): Promise<number> {
      await until(async () => {
        const verdicts = await Promise.all(
          replicas.map((replica) =>
            replica.authenticator.authenticate(`Bearer ${token}`).then(
              () => 'accepted',
              (error: { code?: string }) => error.code,
            ),
          ),
        );
        return verdicts.every((verdict) => verdict === 'UNAUTHENTICATED');
      }, 'every replica refusing the token');
      return Date.now() - since;
    }

    const accepted = async (token: string) => {
      for (const replica of replicas) {
        await expect(replica.authenticator.authenticate(`Bearer ${token}`)).resolves.toBeTruthy();
      }
    };

    it('a demoted member: old token refused on both replicas within a second, open sockets closed, a fresh token works', async () => {
      const workspace = `ws-demote-${bus}`;
      const before = await auth.tokenFor(workspace, 'admin', 'user-demoted', 'session-demoted');
      const bystander = await auth.tokenFor(workspace, 'viewer', 'user-bystander', 'session-b');
      await accepted(before);
      const listeners = replicas.map((replica) => sockets.connect(replica.url, before));
      const untouched = replicas.map((replica) => sockets.connect(replica.url, bystander));
      await Promise.all([...listeners, ...untouched].map((listener) => listener.ready));
      const revoked = listeners.map(
        (listener) =>
          new Promise<{ code: string }>((resolve) =>
            listener.socket.once('access_revoked', resolve),
          ),
      );
      const closed = listeners.map(
        (listener) => new Promise<string>((resolve) => listener.socket.once('disconnect', resolve)),
      );

      const at = Date.now();
      await identity.publish('identity.v1.MemberRoleChanged', workspace, `workspace-${workspace}`, {
        workspaceId: workspace,
        userId: 'user-demoted',
        oldRole: identityV1.Role.ADMIN,
        newRole: identityV1.Role.VIEWER,
      });
      const took = await refusedEverywhere(before, at);
      expect(took).toBeLessThan(WITHIN_MS);
      expect(await Promise.all(revoked)).toEqual([
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
        expect.objectContaining({ code: 'UNAUTHENTICATED' }),
      ]);
      expect(await Promise.all(closed)).toEqual(['io server disconnect', 'io server disconnect']);

      // The member's other tokens, a bystander's, and a token issued after the change all work.
      await accepted(bystander);
      expect(untouched.every((listener) => listener.socket.connected)).toBe(true);
      await accepted(
        await auth.tokenFor(`${workspace}-other`, 'admin', 'user-demoted', 'session-demoted-2'),
      );
      await new Promise((resolve) => setTimeout(resolve, 5));
      await accepted(await auth.tokenFor(workspace, 'viewer', 'user-demoted', 'session-demoted'));
    });

    it('a removed member, an ended session, a revoked API key and a deactivated agent', async () => {
      const workspace = `ws-remove-${bus}`;
      const removed = await auth.tokenFor(workspace, 'mission_commander', 'user-removed', 's-r');
      const loggedOut = await auth.tokenFor(workspace, 'viewer', 'user-out', 'session-out');
      const key = (
        await auth.issuer.issue({
          kind: 'api_key',
          subject: 'key-revoked',
          workspaceId: workspace,
          role: 'admin',
          scopes: ['manage_agents'],
        })
      ).token;
      const agent = (
        await auth.issuer.issue({
          kind: 'agent',
          subject: 'agent-off',
          workspaceId: workspace,
          role: null,
          scopes: null,
        })
      ).token;
      for (const token of [removed, loggedOut, key, agent]) {
        await accepted(token);
      }

      const cases: [string, () => Promise<void>][] = [
        [
          removed,
          () =>
            identity.publish('identity.v1.MemberRemoved', workspace, `workspace-${workspace}`, {
              workspaceId: workspace,
              userId: 'user-removed',
              removedBy: 'user-admin',
            }),
        ],
        [
          loggedOut,
          () =>
            identity.publish('identity.v1.SessionEnded', 'none', 'user-user-out', {
              userId: 'user-out',
              sessionId: 'session-out',
              reason: identityV1.SessionEndReason.LOGGED_OUT,
            }),
        ],
        [
          key,
          () =>
            identity.publish('identity.v1.ApiKeyRevoked', workspace, `workspace-${workspace}`, {
              workspaceId: workspace,
              apiKeyId: 'key-revoked',
              revokedBy: 'user-admin',
            }),
        ],
        [
          agent,
          () =>
            agents.publish('agent.v1.AgentDeactivated', workspace, 'agent-agent-off', {
              agentId: 'agent-off',
            }),
        ],
      ];
      for (const [token, takeAway] of cases) {
        const at = Date.now();
        await takeAway();
        expect(await refusedEverywhere(token, at)).toBeLessThan(WITHIN_MS);
      }
    });

    it('closes a graphql-ws subscription whose access is taken away with 4403', async () => {
      const workspace = `ws-subscription-${bus}`;
      const token = await auth.tokenFor(workspace, 'viewer', 'user-sub', 'session-sub');
      const closes = replicas.map((replica) => {
        let code: number | undefined;
        const client = createClient({
          url: `${replica.url.replace(/^http/, 'ws')}/graphql`,
          webSocketImpl: WebSocket,
          connectionParams: { authorization: `Bearer ${token}` },
          retryAttempts: 0,
          on: { closed: (event) => (code = (event as { code: number }).code) },
        });
        let connected = false;
        client.on('connected', () => (connected = true));
        client.subscribe(
          { query: 'subscription { activity { id } }' },
          { next: () => undefined, error: () => undefined, complete: () => undefined },
        );
        return { client, code: () => code, connected: () => connected };
      });
      await until(() => closes.every((close) => close.connected()), 'subscriptions connected');
      await identity.publish('identity.v1.SessionEnded', 'none', 'user-user-sub', {
        userId: 'user-sub',
        sessionId: 'session-sub',
        reason: identityV1.SessionEndReason.SIGNED_OUT_EVERYWHERE,
      });
      await until(() => closes.every((close) => close.code() === 4403), 'subscriptions closed');
      closes.forEach((close) => void close.client.dispose());
    });
  },
);
