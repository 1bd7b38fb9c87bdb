import { loadConfig } from '@mission-control/config';
import { describeServiceReadiness, probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { analyticsConfigSchema } from '../src/analytics.config';

describeServiceReadiness('analytics', () => AppModule.forRoot(loadConfig(analyticsConfigSchema)), [
  'postgres',
  'kafka',
  'elasticsearch',
  'influxdb',
]);

describe('analytics service with an engine missing', () => {
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
