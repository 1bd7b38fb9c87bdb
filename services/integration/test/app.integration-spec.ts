import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { integrationConfigSchema } from '../src/integration.config';

describe('integration service', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startServiceApp(AppModule.forRoot(loadConfig(integrationConfigSchema)));
  });
  afterAll(() => app.close());

  it('is ready once Postgres and Kafka answer', async () => {
    const { httpStatus, body } = await probeReady(app);
    expect(body).toMatchObject({
      status: 'ready',
      checks: { postgres: { status: 'up' }, kafka: { status: 'up' } },
    });
    expect(httpStatus).toBe(200);
  });
});
