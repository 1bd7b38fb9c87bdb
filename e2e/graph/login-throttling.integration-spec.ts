import { signClientAddress } from '@mission-control/auth';
import { startStack, type Stack } from '@mission-control/testing';

const PER_ADDRESS = 3;
const LOG_IN =
  'mutation ($email: String!, $password: String!) { logIn(email: $email, password: $password) { accessToken } }';

describe('login limits count browsers, not the web server between them and the gateway', () => {
  let stack: Stack;
  let attempt = 0;

  beforeAll(async () => {
    stack = await startStack({
      web: true,
      gatewayEnv: { RATE_LIMIT_ANONYMOUS_PER_MINUTE: String(PER_ADDRESS) },
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  // A fresh unknown account each time: only the per-address limit can refuse it.
  const credentials = () => ({
    email: `nobody-${attempt++}@example.test`,
    password: 'wrong-password-1',
  });

  async function throughWeb(browser: string): Promise<string> {
    const response = await fetch(`${stack.webUrl}/api/session/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': browser },
      body: JSON.stringify(credentials()),
    });
    return ((await response.json()) as { error: { code: string } }).error.code;
  }

  async function direct(headers: Record<string, string> = {}): Promise<string> {
    const response = await fetch(`${stack.gatewayUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: LOG_IN, variables: credentials() }),
    });
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    return body.errors[0]!.extensions.code;
  }

  it('limits two browsers separately, and a direct caller’s forged address buys nothing', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) {
      expect(await throughWeb('203.0.113.1')).toBe('UNAUTHENTICATED');
    }
    expect(await throughWeb('203.0.113.1')).toBe('LIMIT_EXCEEDED');
    // Another browser behind the same web server still has its own allowance.
    expect(await throughWeb('203.0.113.2')).toBe('UNAUTHENTICATED');

    // A direct caller counts as the address it connects from, whatever it claims.
    for (let i = 0; i < PER_ADDRESS; i++) {
      expect(await direct()).toBe('UNAUTHENTICATED');
    }
    const forged = await signClientAddress('203.0.113.3', 'not-the-secret-the-web-server-holds');
    expect(await direct({ 'x-mc-client-address': forged })).toBe('LIMIT_EXCEEDED');
    expect(await direct({ 'x-mc-client-address': 'garbage' })).toBe('LIMIT_EXCEEDED');
  });
});
