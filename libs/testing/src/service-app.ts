import type { DynamicModule, INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';

/**
 * Boots a service's root module in-process, as `main.ts` would, minus the listening socket.
 * `configure` runs before the app initialises, as `main.ts`'s HTTP options do.
 */
export async function startServiceApp(
  module: DynamicModule,
  configure?: (app: INestApplication) => void,
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [module] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  configure?.(app);
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

/** Boots a service against the real engines and expects /ready to report each of `engines` up. */
export function describeServiceReadiness(
  service: string,
  root: () => DynamicModule,
  engines: string[],
): void {
  describe(`${service} service`, () => {
    let app: INestApplication;
    beforeAll(async () => {
      app = await startServiceApp(root());
    });
    afterAll(() => app.close());

    it(`is ready with ${engines.join(', ')} up`, async () => {
      // Readiness may take a moment after boot (the gateway reads its replay window first); a
      // probe polls, so does this.
      let probe = await probeReady(app);
      for (
        const deadline = Date.now() + 10_000;
        probe.httpStatus !== 200 && Date.now() < deadline;
      ) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        probe = await probeReady(app);
      }
      const { httpStatus, body } = probe;
      expect(body).toMatchObject({
        status: 'ready',
        checks: Object.fromEntries(engines.map((engine) => [engine, { status: 'up' }])),
      });
      expect(httpStatus).toBe(200);
    });
  });
}
