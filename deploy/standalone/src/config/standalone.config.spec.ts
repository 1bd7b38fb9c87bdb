import { loadConfig } from '@mission-control/config';
import { envWithArguments, standaloneConfigSchema } from './standalone.config';

const load = (argv: string[], env: Record<string, string> = {}) =>
  loadConfig(standaloneConfigSchema, envWithArguments(argv, env));

describe('standalone configuration', () => {
  it('runs in production on port 3000, quietly, without the demo by default', () => {
    const config = load([]);

    expect(config).toMatchObject({
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      PORT: 3000,
      HOST: '127.0.0.1',
      MC_DEMO: false,
      MC_DEMO_PACE_MS: 4_000,
      MC_SERVICES_THREAD: true,
    });
    expect(config.MC_DATA_DIR).toBeUndefined();
    expect(config.environment).not.toHaveProperty('MC_SERVICES_THREAD');
  });

  it('takes the port, data folder, demo, its pace and threads from the environment', () => {
    const config = load([], {
      PORT: '3100',
      MC_DATA_DIR: '/tmp/mc',
      MC_DEMO: 'true',
      MC_DEMO_PACE_MS: '1000',
      MC_SERVICES_THREAD: '0',
    });
    expect(config).toMatchObject({
      PORT: 3100,
      MC_DATA_DIR: '/tmp/mc',
      MC_DEMO: true,
      MC_DEMO_PACE_MS: 1_000,
      MC_SERVICES_THREAD: false,
    });
    expect(config.environment).not.toHaveProperty('MC_DEMO_PACE_MS');
  });

  it('lets arguments win over the environment', () => {
    expect(
      load(['--demo', '--port', '3200', '--data-dir=/srv/mc'], { PORT: '3100', MC_DEMO: '0' }),
    ).toMatchObject({ PORT: 3200, MC_DATA_DIR: '/srv/mc', MC_DEMO: true });
  });

  it('names what is wrong', () => {
    expect(() => load(['--verbose'])).toThrow(/unknown option "--verbose"/);
    expect(() => load([], { PORT: 'http' })).toThrow(/PORT/);
    expect(() => load([], { MC_DEMO: 'maybe' })).toThrow(/MC_DEMO/);
    expect(() => load([], { MC_DEMO_PACE_MS: '10' })).toThrow(/MC_DEMO_PACE_MS/);
  });
});
