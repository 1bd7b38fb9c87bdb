import {
  contentSecurityPolicy,
  newNonce,
  securityHeaders,
  servedOverTls,
  type SecurityContext,
} from './security-headers';

const production: SecurityContext = {
  nonce: 'abc123==',
  publicGatewayUrl: 'http://127.0.0.1:4000',
  https: false,
  dev: false,
};

const directive = (policy: string, name: string) =>
  policy
    .split('; ')
    .find((entry) => entry.split(' ')[0] === name)
    ?.split(' ')
    .slice(1);

describe('securityHeaders', () => {
  it('allows scripts only from the app or with the nonce, never inline', () => {
    const policy = contentSecurityPolicy(production);
    expect(directive(policy, 'script-src')).toEqual([
      "'self'",
      "'nonce-abc123=='",
      "'strict-dynamic'",
    ]);
    expect(policy).not.toContain('unsafe-inline');
    expect(policy).not.toContain('unsafe-eval');
    expect(directive(policy, 'style-src')).toEqual(["'self'", "'nonce-abc123=='"]);
    expect(directive(policy, 'frame-ancestors')).toEqual(["'none'"]);
    expect(directive(policy, 'object-src')).toEqual(["'none'"]);
  });

  it('lets the browser reach a gateway on another origin over http and websockets', () => {
    expect(directive(contentSecurityPolicy(production), 'connect-src')).toEqual([
      "'self'",
      'http://127.0.0.1:4000',
      'ws://127.0.0.1:4000',
    ]);
    const tls = contentSecurityPolicy({
      ...production,
      publicGatewayUrl: 'https://api.example.com/',
    });
    expect(directive(tls, 'connect-src')).toEqual([
      "'self'",
      'https://api.example.com',
      'wss://api.example.com',
    ]);
    const sameOrigin = contentSecurityPolicy({ ...production, publicGatewayUrl: '' });
    expect(directive(sameOrigin, 'connect-src')).toEqual(["'self'"]);
  });

  it('sends HSTS and upgrades requests only over TLS', () => {
    expect(securityHeaders(production)).not.toHaveProperty('strict-transport-security');
    expect(contentSecurityPolicy(production)).not.toContain('upgrade-insecure-requests');
    const tls = securityHeaders({ ...production, https: true });
    expect(tls['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(tls['content-security-policy']).toContain('upgrade-insecure-requests');
  });

  it('denies sniffing, framing, powerful features and full referrers', () => {
    const headers = securityHeaders(production);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['permissions-policy']).toMatch(/camera=\(\)/);
    expect(headers['permissions-policy']).toMatch(/microphone=\(\)/);
    expect(headers['permissions-policy']).toMatch(/geolocation=\(\)/);
  });

  it('relaxes only what next dev needs', () => {
    const policy = contentSecurityPolicy({ ...production, dev: true });
    expect(directive(policy, 'script-src')).toContain("'unsafe-eval'");
    expect(directive(policy, 'script-src')).not.toContain("'unsafe-inline'");
  });
});

describe('servedOverTls', () => {
  it('believes the URL or the first x-forwarded-proto', () => {
    expect(servedOverTls(new URL('https://app.example.com/'), null)).toBe(true);
    expect(servedOverTls(new URL('http://10.0.0.1/'), 'https')).toBe(true);
    expect(servedOverTls(new URL('http://10.0.0.1/'), 'HTTPS, http')).toBe(true);
    expect(servedOverTls(new URL('http://10.0.0.1/'), 'http')).toBe(false);
    expect(servedOverTls(new URL('http://10.0.0.1/'), null)).toBe(false);
  });
});

describe('newNonce', () => {
  it('is 128 random bits, different every time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) {
      expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
    }
  });
});
