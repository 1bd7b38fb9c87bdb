import { Controller, Get, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppError } from '@mission-control/errors';
import request from 'supertest';
import type { ReadinessCheck } from './health/readiness-check';
import { PlatformModule } from './platform.module';

@Controller('boom')
class BoomController {
  @Get('internal')
  internal(): never {
    throw new Error('connect ECONNREFUSED 10.0.0.7:5432 at Pool.connect');
  }

  @Get('coded')
  coded(): never {
    throw AppError.conflict('Mission was changed by someone else', { expectedVersion: 3 });
  }
}

async function startApp(checks: ReadinessCheck[]): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [
      PlatformModule.forRoot({
        service: 'test',
        logLevel: 'silent',
        readiness: { useFactory: () => checks },
      }),
    ],
    controllers: [BoomController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

const up = (name: string): ReadinessCheck => ({ name, check: () => Promise.resolve() });
const down = (name: string): ReadinessCheck => ({
  name,
  check: () => Promise.reject(new Error('password authentication failed for user "mc"')),
});
const hung = (name: string): ReadinessCheck => ({ name, check: () => new Promise<void>(() => {}) });

describe('PlatformModule', () => {
  let app: INestApplication;
  afterEach(() => app.close());

  it('answers liveness even when an engine is down', async () => {
    app = await startApp([down('postgres')]);
    await request(app.getHttpServer()).get('/health').expect(200, { status: 'ok' });
  });

  it('is ready when every engine answers', async () => {
    app = await startApp([up('postgres'), up('kafka')]);
    const response = await request(app.getHttpServer()).get('/ready').expect(200);
    expect(response.body).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
  });

  it('is not ready when one engine fails, without revealing why', async () => {
    app = await startApp([up('postgres'), down('kafka')]);
    const response = await request(app.getHttpServer()).get('/ready').expect(503);
    expect(response.body.checks).toMatchObject({
      postgres: { status: 'up' },
      kafka: { status: 'down' },
    });
    expect(JSON.stringify(response.body)).not.toContain('password');
  });

  it('bounds a hung engine check', async () => {
    app = await startApp([hung('elasticsearch')]);
    const response = await request(app.getHttpServer()).get('/ready').expect(503);
    expect(response.body.checks.elasticsearch.latencyMs).toBeGreaterThanOrEqual(1_900);
  });

  it('returns coded errors with the caller request id', async () => {
    app = await startApp([]);
    const response = await request(app.getHttpServer())
      .get('/boom/coded')
      .set('x-request-id', 'req-abc.1')
      .expect(409);
    expect(response.headers['x-request-id']).toBe('req-abc.1');
    expect(response.body).toEqual({
      error: {
        code: 'CONFLICT',
        message: 'Mission was changed by someone else',
        requestId: 'req-abc.1',
        retryable: true,
        details: { expectedVersion: 3 },
      },
    });
  });

  it('hides internals of unexpected errors and issues a request id', async () => {
    app = await startApp([]);
    const response = await request(app.getHttpServer()).get('/boom/internal').expect(500);
    expect(response.body.error.code).toBe('INTERNAL_ERROR');
    expect(response.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers['x-request-id']).toBe(response.body.error.requestId);
    expect(JSON.stringify(response.body)).not.toMatch(/ECONNREFUSED|10\.0\.0\.7|Pool/);
  });

  it('answers unknown routes with NOT_FOUND and ignores malformed request ids', async () => {
    app = await startApp([]);
    const response = await request(app.getHttpServer())
      .get('/nothing-here')
      .set('x-request-id', 'bad id\nwith newline'.replace('\n', ' '))
      .expect(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
    expect(response.body.error.requestId).not.toContain('bad id');
  });
});
