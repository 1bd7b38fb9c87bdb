import type { INestApplication } from '@nestjs/common';
import { loadConfig } from '@mission-control/config';
import { probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { analyticsConfigSchema } from '../src/analytics.config';

describe('analytics service', () => {
  let app: INestApplication;
  beforeAll(async () => {
    app = await startServiceApp(AppModule.forRoot(loadConfig(analyticsConfigSchema)));
  });
  afterAll(() => app.close());

  it('is ready once Postgres, Kafka, Elasticsearch and InfluxDB answer', async () => {
    const { httpStatus, body } = await probeReady(app);
    expect(body).toMatchObject({
      status: 'ready',
      checks: {
        postgres: { status: 'up' },
        kafka: { status: 'up' },
        elasticsearch: { status: 'up' },
        influxdb: { status: 'up' },
      },
    });
    expect(httpStatus).toBe(200);
  });

  it('reports not ready when an engine is unreachable', async () => {
    const broken = await startServiceApp(
      AppModule.forRoot(
        loadConfig(analyticsConfigSchema, { ...process.env, INFLUX_URL: 'http://127.0.0.1:9' }),
      ),
    );
    try {
      const { httpStatus, body } = await probeReady(broken);
      expect(httpStatus).toBe(503);
      expect(body.checks.influxdb).toMatchObject({ status: 'down' });
      expect(body.checks.postgres).toMatchObject({ status: 'up' });
    } finally {
      await broken.close();
    }
  });
});
