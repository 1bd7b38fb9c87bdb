import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';

/** Boots a service's root module in-process, as `main.ts` would, minus the listening socket. */
export async function startServiceApp(module: DynamicModule): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.enableShutdownHooks();
  await app.init();
  return app;
}

export type ReadyBody = { status: string; checks: Record<string, { status: string }> };

/** GET /ready on a booted app; returns the HTTP status and the per-engine report. */
export async function probeReady(
  app: INestApplication,
): Promise<{ httpStatus: number; body: ReadyBody }> {
  const response = await request(app.getHttpServer() as Parameters<typeof request>[0]).get(
    '/ready',
  );
  return { httpStatus: response.status, body: response.body as ReadyBody };
}
