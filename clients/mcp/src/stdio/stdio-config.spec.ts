import { StdioConfigError, stdioConfigOf } from './stdio-config';

describe('stdioConfigOf', () => {
  it('takes the gateway and an agent key, with run defaults and the heartbeat interval', () => {
    expect(
      stdioConfigOf({
        MC_GATEWAY_URL: 'http://127.0.0.1:4000',
        MC_AGENT_KEY: 'mca_abc_secret',
        MC_RUN_MODEL: 'claude-sonnet-4-5',
      }),
    ).toEqual({
      url: 'http://127.0.0.1:4000',
      credentials: { agentKey: 'mca_abc_secret' },
      runDefaults: { adapter: undefined, model: 'claude-sonnet-4-5', provider: undefined },
      heartbeatMs: 30_000,
    });
  });

  it('takes a token instead of a key', () => {
    expect(
      stdioConfigOf({ MC_GATEWAY_URL: 'https://mc.example.com', MC_TOKEN: 'ey.x.y' }).credentials,
    ).toEqual({ token: 'ey.x.y' });
  });

  it('names every bad variable, never a secret’s value', () => {
    const attempt = () =>
      stdioConfigOf({
        MC_GATEWAY_URL: 'not a url',
        MC_AGENT_KEY: 'mca_abc_secret',
        MC_TOKEN: 'ey.x.y',
        MC_HEARTBEAT_SECONDS: '1',
      });
    expect(attempt).toThrow(StdioConfigError);
    expect(attempt).toThrow(/MC_GATEWAY_URL: .*MC_HEARTBEAT_SECONDS: /);
    expect(attempt).not.toThrow(/secret|ey\.x\.y/);
  });

  it('asks for a key or a token', () => {
    expect(() => stdioConfigOf({ MC_GATEWAY_URL: 'http://127.0.0.1:4000' })).toThrow(
      /MC_AGENT_KEY: set one of MC_AGENT_KEY \(an agent key\) or MC_TOKEN/,
    );
  });
});
