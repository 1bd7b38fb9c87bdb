import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Directive, Field, ID, Mutation, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { Controller, Get, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  AuthModule,
  EDGE_PROOF_HEADER,
  Public,
  signEdgeProof,
  signPrincipalHeader,
} from '@mission-control/auth';
import request from 'supertest';
import { SubgraphModule } from './subgraph.module';
import { SubgraphSchemaWriter } from './subgraph-schema.writer';

@ObjectType({ registerIn: () => ThingsModule })
@Directive('@key(fields: "id")')
class Thing {
  @Field(() => ID)
  id!: string;
}

/** Holds each `heldThing` until the test lets it go, counting how many run at once. */
const gate = { held: [] as (() => void)[], running: 0, mostRunning: 0 };

@Resolver(() => Thing)
class ThingResolver {
  @Query(() => Thing)
  thing(): Thing {
    return { id: 't-1' };
  }

  @Public()
  @Query(() => Thing)
  async heldThing(): Promise<Thing> {
    gate.running += 1;
    gate.mostRunning = Math.max(gate.mostRunning, gate.running);
    await new Promise<void>((resolve) => gate.held.push(resolve));
    gate.running -= 1;
    return { id: 't-2' };
  }

  @Public()
  @Mutation(() => Boolean)
  touch(): boolean {
    return true;
  }
}

/** Stands in for the platform's health endpoint: not /graphql, so not behind the edge proof. */
@Public()
@Controller('health')
class HealthController {
  @Get()
  health() {
    return { status: 'ok' };
  }
}

@Module({ providers: [ThingResolver], controllers: [HealthController] })
class ThingsModule {}

const SECRET = 'the-gateway-and-the-subgraphs-share-this';

async function boot(file: string | null, queryConcurrency = 0) {
  const moduleRef = await Test.createTestingModule({
    imports: [
      AuthModule.forRoot({ internalSecret: SECRET }),
      SubgraphModule.forRoot({ service: 'things', file, scope: ThingsModule, queryConcurrency }),
      ThingsModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('SubgraphModule', () => {
  it('writes the Federation 2 SDL, with links and keys, where the gateway composes it from', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'subgraph-')), 'schema.graphql');
    const app = await boot(file);
    const written = readFileSync(file, 'utf8');
    expect(written).toContain('# The things subgraph');
    expect(written).toContain('@link(url: "https://specs.apollo.dev/federation/v2');
    expect(written).toMatch(/type Thing\s+@key\(fields: "id"\)/);
    expect(written).toBe(app.get(SubgraphSchemaWriter).sdl());
    await app.close();
  });

  describe('answers only the gateway', () => {
    let app: Awaited<ReturnType<typeof boot>>;
    beforeAll(async () => {
      app = await boot(null);
    });
    afterAll(() => app.close());

    const post = (query: string, headers: Record<string, string> = {}) =>
      request(app.getHttpServer() as Parameters<typeof request>[0])
        .post('/graphql')
        .set({ 'content-type': 'application/json', 'x-request-id': 'req-direct-1', ...headers })
        .send({ query });

    const refused = (response: { body: unknown }) =>
      expect(response.body).toEqual({
        errors: [
          {
            message: expect.stringMatching(/gateway|edge proof/) as unknown,
            extensions: { code: 'UNAUTHENTICATED', requestId: 'req-direct-1', retryable: false },
          },
        ],
      });

    it('refuses a direct caller, the federation _service query and anonymous operations included', async () => {
      await post('{ _service { sdl } }').expect(401).expect(refused);
      await post('{ thing { id } }').expect(401).expect(refused);
      await post('{ thing { id } }', { 'x-forwarded-for': '127.0.0.1' })
        .expect(401)
        .expect(refused);
    });

    it('refuses a forged, foreign or mistyped proof', async () => {
      const forged = await signEdgeProof({}, 'not-the-shared-secret-but-long-enough');
      await post('{ thing { id } }', { [EDGE_PROOF_HEADER]: forged })
        .expect(401)
        .expect(refused);
      await post('{ thing { id } }', { [EDGE_PROOF_HEADER]: 'garbage' })
        .expect(401)
        .expect(refused);
      // A principal header signed with the right secret is not an edge proof.
      const principalHeader = await signPrincipalHeader(
        { kind: 'user', subject: 'u-1', workspaceId: 'ws-1', role: 'admin', scopes: null },
        SECRET,
      );
      await post('{ thing { id } }', { [EDGE_PROOF_HEADER]: principalHeader })
        .expect(401)
        .expect(refused);
    });

    it('answers the gateway, signed-in or not, and the SDL it composes', async () => {
      const response = await post('{ _service { sdl } }', {
        [EDGE_PROOF_HEADER]: await signEdgeProof({}, SECRET),
      }).expect(200);
      expect(
        (response.body as { data: { _service: { sdl: string } } }).data._service.sdl,
      ).toContain('type Thing');
    });

    it('keeps health checks open', async () => {
      await request(app.getHttpServer() as Parameters<typeof request>[0])
        .get('/health')
        .expect(200, { status: 'ok' });
    });
  });

  it('executes at most SUBGRAPH_QUERY_CONCURRENCY queries at once, and never holds a write behind them', async () => {
    const app = await boot(null, 1);
    const proof = await signEdgeProof({}, SECRET);
    const post = (query: string) =>
      request(app.getHttpServer() as Parameters<typeof request>[0])
        .post('/graphql')
        .set({ 'content-type': 'application/json', [EDGE_PROOF_HEADER]: proof })
        .send({ query })
        .then((response) => response.body as unknown);
    const untilHeld = async () => {
      while (gate.held.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    const reads = [1, 2, 3].map(() => post('{ heldThing { id } }'));
    await untilHeld();
    await expect(post('mutation { touch }')).resolves.toEqual({ data: { touch: true } });
    for (let read = 0; read < 3; read += 1) {
      await untilHeld();
      gate.held.shift()!();
    }
    await expect(Promise.all(reads)).resolves.toEqual(
      [1, 2, 3].map(() => ({ data: { heldThing: { id: 't-2' } } })),
    );
    expect(gate.mostRunning).toBe(1);
    await app.close();
  });

  it('serves the SDL without writing a file (production)', async () => {
    const app = await boot(null);
    expect(app.get(SubgraphSchemaWriter).sdl()).toContain('type Thing');
    await app.close();
  });
});
