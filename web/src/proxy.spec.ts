import { NextRequest } from 'next/server';
import { proxy } from './proxy';

const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? '')?.[1];

describe('proxy', () => {
  it('puts the hardening headers on the response and the same nonce in the CSP Next.js renders with', () => {
    const response = proxy(new NextRequest('http://127.0.0.1:3000/w/abc/board'));
    const policy = response.headers.get('content-security-policy');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    expect(response.headers.get('permissions-policy')).toContain('camera=()');
    expect(response.headers.get('strict-transport-security')).toBeNull();
    // Next.js passes overridden request headers on under this prefix.
    const forwarded = response.headers.get('x-middleware-request-content-security-policy');
    expect(nonceOf(forwarded)).toBeDefined();
    expect(nonceOf(forwarded)).toBe(nonceOf(policy));
  });

  it('gives every response its own nonce', () => {
    const first = proxy(new NextRequest('http://127.0.0.1:3000/login'));
    const second = proxy(new NextRequest('http://127.0.0.1:3000/login'));
    expect(nonceOf(first.headers.get('content-security-policy'))).not.toBe(
      nonceOf(second.headers.get('content-security-policy')),
    );
  });

  it('adds HSTS when a TLS proxy in front says the browser used https', () => {
    const response = proxy(
      new NextRequest('http://10.0.0.5:3000/login', { headers: { 'x-forwarded-proto': 'https' } }),
    );
    expect(response.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);
  });
});
