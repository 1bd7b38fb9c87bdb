import type { INestApplication } from '@nestjs/common';
import {
  type Principal,
  PRINCIPAL_HEADER,
  signPrincipalHeader,
  CLIENT_ADDRESS_HEADER,
  signClientAddress,
} from '@mission-control/auth';
import { loadConfig } from '@mission-control/config';
import { configureHttp } from '@mission-control/platform';
import { probeReady, startServiceApp, testRunId } from '@mission-control/testing';
import request from 'supertest';
import { AppModule } from '../src/app.module';
import { gatewayConfigSchema } from '../src/gateway.config';
import { gatewayHttpOptions } from '../src/http/http-options';
import {
  closedPortUrl,
  INTERNAL_SECRET,
  type RunningServer,
  startIdentitySubgraph,
  startMissionsSubgraph,
  startTokenAuthority,
  writeFixtureSupergraph,
} from './support/test-subgraphs';

const commander: Principal = {
  kind: 'user',
  subject: 'user-7',
  workspaceId: 'ws-1',
  role: 'mission_commander',
  scopes: null,
  sessionId: 'session-1',
};

type Authority = Awaited<ReturnType<typeof startTokenAuthority>>;

describe('gateway GraphQL edge', () => {
  let identity: RunningServer;
  let missions: RunningServer;
  let authority: Authority;
  let supergraphPath: string;
  const apps: INestApplication[] = [];

  async function startGateway(
    env: Record<string, string> = {},
    subgraphUrls: Record<string, string> = { identity: identity.url, missions: missions.url },
  ) {
    const config = loadConfig(gatewayConfigSchema, {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      INTERNAL_AUTH_SECRET: INTERNAL_SECRET,
      IDENTITY_JWKS_URL: authority.jwksUrl,
      GATEWAY_SUPERGRAPH_PATH: supergraphPath,
      LIVE_TOPICS: `${testRunId()}.edge.events.v1`,
      ...env,
    });
    const app = await startServiceApp(AppModule.forRoot({ ...config, subgraphUrls }), (created) =>
      configureHttp(created, gatewayHttpOptions(config)),
    );
    apps.push(app);
    return app;
  }

  /** A refusal as every edge error looks: one coded GraphQL error naming this request. */
  const expectEdgeRefusal = (response: request.Response, requestId?: string) => {
    const id = response.headers['x-request-id'];
    expect(id).toMatch(requestId ? new RegExp(`^${requestId}$`) : /^[0-9a-f-]{36}$/);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toEqual({
      errors: [
        {
          message: expect.any(String),
          extensions: { code: 'VALIDATION_ERROR', requestId: id, retryable: false },
        },
      ],
    });
  };

  const post = (app: INestApplication, body: unknown, headers: Record<string, string> = {}) =>
    request(app.getHttpServer() as Parameters<typeof request>[0])
      .post('/graphql')
      .set({ 'content-type': 'application/json', ...headers })
      .send(body as object);

  beforeAll(async () => {
    [identity, missions, authority, supergraphPath] = await Promise.all([
      startIdentitySubgraph(),
      startMissionsSubgraph(),
      startTokenAuthority(),
      writeFixtureSupergraph(),
    ]);
  });

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await Promise.all([identity.stop(), missions.stop(), authority.stop()]);
  });

  describe('with a loaded supergraph', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await startGateway();
    });

    it('reports the supergraph in readiness', async () => {
      const { body } = await probeReady(app);
      expect(body.checks.supergraph).toEqual(expect.objectContaining({ status: 'up' }));
    });

    it('forwards the verified caller to the subgraph as a signed principal with the request id', async () => {
      const token = await authority.issue(commander);
      const response = await post(
        app,
        { query: '{ whoami { subject kind workspaceId role requestId principalHeaderSeen } }' },
        { authorization: `Bearer ${token}`, 'x-request-id': 'req-edge-1' },
      ).expect(200);
      expect(response.body).toEqual({
        data: {
          whoami: {
            subject: 'user-7',
            kind: 'user',
            workspaceId: 'ws-1',
            role: 'mission_commander',
            requestId: 'req-edge-1',
            principalHeaderSeen: true,
          },
        },
      });
    });

    it('tells subgraphs the caller’s address, never an address the client made up', async () => {
      const response = await post(
        app,
        { query: '{ whoami { clientAddress } }' },
        {
          'x-forwarded-for': '198.51.100.9',
        },
      ).expect(200);
      // No proxy is trusted by default: the client's own header is not believed.
      expect(response.body.data.whoami.clientAddress).toMatch(/^(::ffff:)?127\.0\.0\.1$|^::1$/);

      const behindIngress = await startGateway({ TRUST_PROXY_HOPS: '1' });
      const forwarded = await post(
        behindIngress,
        { query: '{ whoami { clientAddress } }' },
        {
          'x-forwarded-for': '198.51.100.9',
        },
      ).expect(200);
      expect(forwarded.body.data.whoami.clientAddress).toBe('198.51.100.9');
    });

    it('believes the browser address the web server signs, and nobody else’s claim', async () => {
      const webSecret = 'the-web-server-and-gateway-share-this-one';
      const behindWeb = await startGateway({ CLIENT_ADDRESS_SECRET: webSecret });
      const addressSeen = async (gateway: typeof app, headers: Record<string, string>) =>
        (await post(gateway, { query: '{ whoami { clientAddress } }' }, headers).expect(200)).body
          .data.whoami.clientAddress as string;
      const loopback = /^(::ffff:)?127\.0\.0\.1$|^::1$/;

      const vouched = await signClientAddress('203.0.113.50', webSecret);
      expect(await addressSeen(behindWeb, { [CLIENT_ADDRESS_HEADER]: vouched })).toBe(
        '203.0.113.50',
      );
      // Signed with another secret, or sent to a gateway that shares none: the peer's address.
      const forged = await signClientAddress('203.0.113.51', `${webSecret}-not`);
      expect(await addressSeen(behindWeb, { [CLIENT_ADDRESS_HEADER]: forged })).toMatch(loopback);
      expect(await addressSeen(behindWeb, { [CLIENT_ADDRESS_HEADER]: 'garbage' })).toMatch(
        loopback,
      );
      expect(await addressSeen(app, { [CLIENT_ADDRESS_HEADER]: vouched })).toMatch(loopback);
    });

    it('lets the web app’s origin call the graph from a browser, and no other origin', async () => {
      const preflight = (origin: string) =>
        request(app.getHttpServer() as Parameters<typeof request>[0])
          .options('/graphql')
          .set({
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          });
      const allowed = await preflight('http://localhost:3000');
      expect(allowed.status).toBe(204);
      expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(allowed.headers['access-control-allow-headers']).toContain('authorization');
      const stranger = await preflight('https://evil.example');
      expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
      const answer = await post(
        app,
        { query: '{ whoami { subject } }' },
        {
          origin: 'http://localhost:3000',
        },
      ).expect(200);
      expect(answer.headers['access-control-allow-origin']).toBe('http://localhost:3000');
      expect(answer.headers['access-control-expose-headers']).toContain('x-request-id');
    });

    it('serves an anonymous caller without a principal', async () => {
      const response = await post(app, { query: '{ whoami { subject principalHeaderSeen } }' });
      expect(response.body).toEqual({
        data: { whoami: { subject: null, principalHeaderSeen: false } },
      });
    });

    it('never forwards a principal header a client sent, even a validly signed one', async () => {
      const forged = await signPrincipalHeader(
        { ...commander, subject: 'admin-0', role: 'admin' },
        INTERNAL_SECRET,
      );
      const anonymous = await post(
        app,
        { query: '{ whoami { subject principalHeaderSeen } }' },
        { [PRINCIPAL_HEADER]: forged },
      );
      expect(anonymous.body.data.whoami).toEqual({ subject: null, principalHeaderSeen: false });

      const token = await authority.issue(commander);
      const signedIn = await post(
        app,
        { query: '{ whoami { subject role } }' },
        { authorization: `Bearer ${token}`, [PRINCIPAL_HEADER]: forged },
      );
      expect(signedIn.body.data.whoami).toEqual({ subject: 'user-7', role: 'mission_commander' });
    });

    it.each([
      ['a malformed token', () => Promise.resolve('not-a-jwt')],
      ['an expired token', () => authority.issue(commander, { issuedSecondsAgo: 3_600 })],
      [
        'a token signed by another key',
        async () => {
          const stranger = await startTokenAuthority();
          try {
            return await stranger.issue(commander);
          } finally {
            await stranger.stop();
          }
        },
      ],
    ])('answers %s with UNAUTHENTICATED and the request id', async (_case, token) => {
      const response = await post(
        app,
        { query: '{ whoami { subject } }' },
        { authorization: `Bearer ${await token()}`, 'x-request-id': 'req-bad-token' },
      ).expect(401);
      expect(response.body.data).toBeUndefined();
      expect(response.body.errors).toEqual([
        {
          message: expect.any(String),
          extensions: { code: 'UNAUTHENTICATED', requestId: 'req-bad-token', retryable: false },
        },
      ]);
    });

    it('rejects an Authorization header that is not a bearer token', async () => {
      const response = await post(
        app,
        { query: '{ whoami { subject } }' },
        { authorization: 'Basic dXNlcjpwYXNz' },
      ).expect(401);
      expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
      expect(response.body.errors[0].extensions.requestId).toBe(response.headers['x-request-id']);
    });

    it('keeps a subgraph error code and puts this request id on it', async () => {
      const response = await post(app, { query: '{ forbidden }' }, { 'x-request-id': 'req-f' });
      expect(response.body.data).toEqual({ forbidden: null });
      expect(response.body.errors).toEqual([
        {
          message: 'Only admins may read this',
          path: ['forbidden'],
          extensions: { code: 'FORBIDDEN', requestId: 'req-f', retryable: false },
        },
      ]);
    });

    it('hides the internals of an uncoded subgraph error', async () => {
      const response = await post(app, { query: '{ crash }' });
      expect(response.body.errors).toHaveLength(1);
      expect(response.body.errors[0].extensions).toEqual({
        code: 'INTERNAL_ERROR',
        requestId: response.headers['x-request-id'],
        retryable: true,
      });
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|hunter2|stack/);
    });

    it('answers a query spanning both subgraphs', async () => {
      const response = await post(app, { query: '{ whoami { subject } missions { title } }' });
      expect(response.body).toEqual({
        data: { whoami: { subject: null }, missions: [{ title: 'Ship the gateway' }] },
      });
    });

    describe('limits', () => {
      const nested = (depth: number) =>
        `{ node { ${'child { '.repeat(depth - 1)}id${' }'.repeat(depth - 1)} } }`;

      it('rejects a depth-20 query, and still serves a shallow one', async () => {
        const deep = await post(app, { query: nested(20) }).expect(400);
        for (const error of deep.body.errors) {
          expect(error.extensions).toMatchObject({
            code: 'VALIDATION_ERROR',
            retryable: false,
            requestId: deep.headers['x-request-id'],
          });
        }
        expect(
          (deep.body.errors as { extensions: { details?: unknown } }[]).map(
            (error) => error.extensions.details,
          ),
        ).toContainEqual({
          limit: 'maxDepth',
          max: 12,
        });
        const shallow = await post(app, { query: nested(3) }).expect(200);
        expect(shallow.body).toEqual({ data: { node: { child: null } } });
      });

      it('rejects 1,000 aliases', async () => {
        const aliases = Array.from({ length: 1_000 }, (_, i) => `a${i}: node { id }`).join(' ');
        const response = await post(app, { query: `{ ${aliases} }` }).expect(400);
        expect(response.body.errors[0].extensions).toMatchObject({
          code: 'VALIDATION_ERROR',
          requestId: response.headers['x-request-id'],
        });
      });

      it('names the alias limit when only aliases are over', async () => {
        // __typename aliases are free; aliases of real fields are what multiply subgraph work.
        const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: node { id }`).join(' ');
        const response = await post(app, { query: `{ ${aliases} }` }).expect(400);
        expect(response.body.errors[0].extensions.details).toEqual({
          limit: 'maxAliases',
          max: 15,
        });
      });

      it('rejects a 100-operation batch and serves a small one', async () => {
        const operation = { query: '{ whoami { subject } }' };
        const big = await post(
          app,
          Array.from({ length: 100 }, () => operation),
        ).expect(400);
        expect(big.body.errors).toEqual([
          {
            message: expect.stringContaining('at most 10'),
            extensions: {
              code: 'VALIDATION_ERROR',
              requestId: big.headers['x-request-id'],
              retryable: false,
              details: { limit: 'maxBatch', max: 10 },
            },
          },
        ]);
        const small = await post(app, [operation, operation]).expect(200);
        expect(small.body).toEqual([
          { data: { whoami: { subject: null } } },
          { data: { whoami: { subject: null } } },
        ]);
      });

      it('rejects a document over the token limit before building it', async () => {
        const fields = Array.from({ length: 2_500 }, () => '__typename').join(' ');
        const response = await post(app, { query: `{ ${fields} }` }).expect(400);
        expect(response.body.errors[0].extensions.code).toBe('VALIDATION_ERROR');
      });

      it('refuses a body over 2 MB in the GraphQL error shape with a real request id', async () => {
        // A log chunk at the API's limits (about 1.6 MB as JSON at worst) gets through.
        const response = await post(app, {
          query: `{ whoami { subject } } #${'x'.repeat(2_200_000)}`,
        });
        expect(response.status).toBe(413);
        expectEdgeRefusal(response);
      });

      it.each([
        ['bad JSON', 'application/json', '{"query": "{ whoami { subject } }"', 400],
        ['an unsupported charset', 'application/json; charset=latin1', '{"query":"{ a }"}', 415],
      ])(
        'refuses %s in the GraphQL error shape with the request id',
        async (_case, contentType, body, status) => {
          const raw = () =>
            request(app.getHttpServer() as Parameters<typeof request>[0])
              .post('/graphql')
              .set('content-type', contentType)
              .send(body);
          const fresh = await raw();
          expect(fresh.status).toBe(status);
          expectEdgeRefusal(fresh);
          const named = await raw().set('x-request-id', 'req-body-1');
          expectEdgeRefusal(named, 'req-body-1');
        },
      );

      it.each([
        ['two operations without operationName', {}],
        ['an unknown operationName', { operationName: 'Nope' }],
      ])('answers %s with VALIDATION_ERROR, not 500', async (_case, extra) => {
        const response = await post(
          app,
          { query: 'query A { whoami { subject } } query B { missions { id } }', ...extra },
          { 'x-request-id': 'req-op-1' },
        ).expect(400);
        expectEdgeRefusal(response, 'req-op-1');
        const chosen = await post(app, {
          query: 'query A { whoami { subject } } query B { missions { id } }',
          operationName: 'B',
        }).expect(200);
        expect(chosen.body).toEqual({ data: { missions: [{ id: 'm1' }] } });
      });

      it('tells browsers not to sniff any answer', async () => {
        const answer = await post(app, { query: '{ whoami { subject } }' }).expect(200);
        expect(answer.headers['x-content-type-options']).toBe('nosniff');
        const health = await request(app.getHttpServer() as Parameters<typeof request>[0]).get(
          '/health',
        );
        expect(health.headers['x-content-type-options']).toBe('nosniff');
      });

      it('maps a malformed query to VALIDATION_ERROR', async () => {
        const response = await post(app, { query: '{ whoami { ' }).expect(400);
        expect(response.body.errors[0].extensions).toEqual({
          code: 'VALIDATION_ERROR',
          requestId: response.headers['x-request-id'],
          retryable: false,
        });
      });

      it('suggests field names outside production', async () => {
        const response = await post(app, { query: '{ mission { id } }' }).expect(400);
        expect(response.body.errors[0].message).toMatch(/Did you mean "missions"/);
      });

      it('allows introspection outside production', async () => {
        const response = await post(app, { query: '{ __schema { queryType { name } } }' });
        expect(response.body.data.__schema.queryType.name).toBe('Query');
      });
    });
  });

  describe('in production', () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await startGateway({ NODE_ENV: 'production' });
    });

    it('refuses introspection with a coded error and still serves queries', async () => {
      const response = await post(app, { query: '{ __schema { types { name } } }' }).expect(400);
      expect(response.body.errors[0].extensions).toEqual({
        code: 'VALIDATION_ERROR',
        requestId: response.headers['x-request-id'],
        retryable: false,
      });
      const normal = await post(app, { query: '{ missions { id } }' }).expect(200);
      expect(normal.body.data.missions).toEqual([{ id: 'm1' }]);
    });

    it('does not suggest field names', async () => {
      const response = await post(app, { query: '{ mission { id } }' }).expect(400);
      expect(response.body.errors[0].extensions.code).toBe('VALIDATION_ERROR');
      expect(response.body.errors[0].message).not.toMatch(/Did you mean/);
    });

    it('serves no landing page', async () => {
      const response = await request(app.getHttpServer() as Parameters<typeof request>[0])
        .get('/graphql')
        .set('accept', 'text/html');
      expect(response.text).not.toMatch(/<html/i);
    });
  });

  describe('with a subgraph down', () => {
    it('answers partial data and a retryable coded error', async () => {
      const app = await startGateway(
        {},
        { identity: identity.url, missions: await closedPortUrl() },
      );
      const response = await post(
        app,
        { query: '{ whoami { subject } missions { id } }' },
        { 'x-request-id': 'req-down' },
      ).expect(200);
      expect(response.body.data).toEqual({ whoami: { subject: null }, missions: null });
      expect(response.body.errors).toEqual([
        expect.objectContaining({
          extensions: { code: 'INTERNAL_ERROR', requestId: 'req-down', retryable: true },
        }),
      ]);
      expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
    });
  });

  describe('query lane (GATEWAY_QUERY_CONCURRENCY)', () => {
    it('executes one query at a time, answers the waiting ones in turn, and lets writes pass', async () => {
      let inFlight = 0;
      let mostInFlight = 0;
      const held: (() => void)[] = [];
      const slow = await startMissionsSubgraph(async () => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise<void>((resolve) => held.push(resolve));
        inFlight -= 1;
      });
      try {
        const app = await startGateway(
          { GATEWAY_QUERY_CONCURRENCY: '1' },
          { identity: identity.url, missions: slow.url },
        );
        const reads = [1, 2, 3].map(() =>
          post(app, { query: '{ missions { id } }' }).then((response) => response.body as unknown),
        );
        const oneHeld = async (count: number) => {
          while (held.length < count) {
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        };
        await oneHeld(1);
        // Two reads wait in the lane; a write is not behind them.
        const write = await post(app, { query: 'mutation { touch }' }).expect(200);
        expect(write.body).toEqual({ data: { touch: true } });
        expect(held).toHaveLength(1);

        held.shift()!();
        await oneHeld(1);
        held.shift()!();
        await oneHeld(1);
        held.shift()!();
        await expect(Promise.all(reads)).resolves.toEqual(
          [1, 2, 3].map(() => ({ data: { missions: [{ id: 'm1' }] } })),
        );
        expect(mostInFlight).toBe(1);
      } finally {
        held.forEach((release) => release());
        await slow.stop();
      }
    });
  });

  describe('rate limits', () => {
    it('gives each principal its own budget, counts batched operations, then answers LIMIT_EXCEEDED with Retry-After', async () => {
      const app = await startGateway({
        RATE_LIMIT_PER_PRINCIPAL_PER_MINUTE: '3',
        RATE_LIMIT_ANONYMOUS_PER_MINUTE: '2',
      });
      const query = { query: '{ whoami { subject } }' };
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      const first = await authority.issue(commander);
      const second = await authority.issue({ ...commander, subject: 'user-8' });

      for (let call = 0; call < 3; call += 1) {
        await post(app, query, as(first)).expect(200);
      }
      const limited = await post(app, query, as(first)).expect(429);
      expect(limited.body.errors[0].extensions).toMatchObject({
        code: 'LIMIT_EXCEEDED',
        retryable: true,
      });
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      await post(app, query, as(second)).expect(200);

      // A batch spends one unit per operation.
      const batcher = await authority.issue({ ...commander, subject: 'user-9' });
      await post(app, [query, query, query], as(batcher)).expect(200);
      await post(app, query, as(batcher)).expect(429);

      await post(app, query).expect(200);
      await post(app, query).expect(200);
      const anonymous = await post(app, query).expect(429);
      expect(anonymous.body.errors[0].extensions.code).toBe('LIMIT_EXCEEDED');
    });
  });

  describe('without a supergraph', () => {
    it('is not ready and answers INTERNAL_ERROR', async () => {
      const app = await startGateway({
        GATEWAY_SUPERGRAPH_PATH: '/nonexistent/supergraph.graphql',
      });
      const { httpStatus, body } = await probeReady(app);
      expect(httpStatus).toBe(503);
      expect(body.checks.supergraph).toEqual(expect.objectContaining({ status: 'down' }));
      const response = await post(app, { query: '{ whoami { subject } }' }).expect(500);
      expect(response.body.errors[0].extensions).toMatchObject({
        code: 'INTERNAL_ERROR',
        retryable: true,
      });
    });
  });
});
