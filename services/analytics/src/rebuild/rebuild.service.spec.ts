import { RebuildRefusedError, RebuildService, type RebuildOptions } from './rebuild.service';

// Refusals come before any collaborator is touched: none is needed here.
const unused = undefined as never;
const service = (options: Partial<RebuildOptions>) =>
  new RebuildService(
    {
      consumerGroup: 'analytics-projections',
      bus: 'kafka',
      searchEngine: 'elasticsearch',
      metricsEngine: 'influxdb',
      ...options,
    },
    unused,
    unused,
    unused,
    unused,
    unused,
  );

const refusal = (options: Partial<RebuildOptions>) => {
  try {
    service(options).assertSupported();
    return undefined;
  } catch (error) {
    return error;
  }
};

describe('RebuildService.assertSupported', () => {
  it('allows Elasticsearch and InfluxDB over Kafka', () => {
    expect(refusal({})).toBeUndefined();
  });

  it('refuses the in-process bus: it holds only what this process saw', () => {
    const error = refusal({ bus: 'in-process' });
    expect(error).toBeInstanceOf(RebuildRefusedError);
    expect(error).toMatchObject({
      reason: 'IN_PROCESS_EVENT_BUS',
      code: 'VALIDATION_ERROR',
      details: { reason: 'IN_PROCESS_EVENT_BUS' },
    });
  });

  it.each([
    { searchEngine: 'postgres' as const },
    { metricsEngine: 'postgres' as const },
    { searchEngine: 'postgres' as const, metricsEngine: 'postgres' as const },
  ])('refuses a Postgres engine (%o)', (engines) => {
    expect(refusal(engines)).toMatchObject({ reason: 'POSTGRES_ENGINE' });
  });

  it('rejects rebuild() with the refusal', async () => {
    await expect(service({ bus: 'in-process' }).rebuild(() => undefined)).rejects.toBeInstanceOf(
      RebuildRefusedError,
    );
  });
});
