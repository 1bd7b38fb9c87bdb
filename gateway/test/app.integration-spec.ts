import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { gatewayConfigSchema } from '../src/gateway.config';

describe('gateway', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startServiceApp(AppModule.forRoot(loadConfig(gatewayConfigSchema)));
  });
  afterAll(() => app.close());

  it('is ready once Kafka answers', async () => {
    const { httpStatus, body } = await probeReady(app);
    expect(body).toMatchObject({ status: 'ready', checks: { kafka: { status: 'up' } } });
    expect(httpStatus).toBe(200);
  });
});
