import { describeServiceReadiness, probeReady, startServiceApp } from '@mission-control/testing';
import { AppModule } from '../src/app.module';
import { analyticsTestConfig, specStreams } from './analytics-test-kit';

// Outside production the service writes its SDL at boot: not over the committed file here.
const config = (overrides: Record<string, string> = {}) =>
  analyticsTestConfig(specStreams('app'), { NODE_ENV: 'production', ...overrides });

describeServiceReadiness('analytics', () => AppModule.forRoot(config()), [
  'postgres',
  'kafka',
  'elasticsearch',
  'influxdb',
]);

describe('analytics service with an engine missing', () => {
  it('reports not ready when an engine is unreachable', async () => {
    const broken = await startServiceApp(
      AppModule.forRoot(config({ INFLUX_URL: 'http://127.0.0.1:9' })),
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
