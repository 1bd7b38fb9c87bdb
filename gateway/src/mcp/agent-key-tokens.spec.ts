import { agentKeyOf, AgentKeyTokens, type ExchangedToken } from './agent-key-tokens';

const issued = (accessToken: string, expiresAt: number): ExchangedToken => ({
  accessToken,
  accessTokenExpiresAt: new Date(expiresAt).toISOString(),
});

describe('agentKeyOf', () => {
  it('finds an agent key sent as the bearer, and nothing else', () => {
    expect(agentKeyOf('Bearer mca_AbC12_s3cr-et_x')).toBe('mca_AbC12_s3cr-et_x');
    expect(agentKeyOf('bearer  mca_a_b ')).toBe('mca_a_b');
    expect(agentKeyOf('Bearer eyJhbGciOi.eyJzdWIi.sig')).toBeUndefined();
    expect(agentKeyOf('Basic mca_a_b')).toBeUndefined();
    expect(agentKeyOf(undefined)).toBeUndefined();
  });
});

describe('AgentKeyTokens', () => {
  let now = 0;
  const sut = () => new AgentKeyTokens(() => now);
  beforeEach(() => {
    now = 1_000_000;
  });

  it('exchanges a key once while its token is fresh, and again shortly before it expires', async () => {
    const tokens = sut();
    const exchange = jest
      .fn<Promise<ExchangedToken>, []>()
      .mockResolvedValueOnce(issued('t1', now + 900_000))
      .mockResolvedValueOnce(issued('t2', now + 1_800_000));
    await expect(tokens.token('mca_a_b', exchange)).resolves.toBe('t1');
    await expect(tokens.token('mca_a_b', exchange)).resolves.toBe('t1');
    now += 900_000 - 60_000;
    await expect(tokens.token('mca_a_b', exchange)).resolves.toBe('t2');
    expect(exchange).toHaveBeenCalledTimes(2);
  });

  it('shares one exchange among requests arriving together', async () => {
    const tokens = sut();
    const exchange = jest.fn(() => Promise.resolve(issued('t1', now + 900_000)));
    await Promise.all([tokens.token('mca_a_b', exchange), tokens.token('mca_a_b', exchange)]);
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('keeps no failed exchange, and exchanges again after forget', async () => {
    const tokens = sut();
    const exchange = jest
      .fn<Promise<ExchangedToken>, []>()
      .mockRejectedValueOnce(new Error('refused'))
      .mockResolvedValueOnce(issued('t1', now + 900_000))
      .mockResolvedValueOnce(issued('t2', now + 900_000));
    await expect(tokens.token('mca_a_b', exchange)).rejects.toThrow('refused');
    await expect(tokens.token('mca_a_b', exchange)).resolves.toBe('t1');
    tokens.forget('mca_a_b');
    await expect(tokens.token('mca_a_b', exchange)).resolves.toBe('t2');
  });
});
