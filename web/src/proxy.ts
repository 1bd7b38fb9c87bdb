import { type NextRequest, NextResponse } from 'next/server';
import { runtimeConfig } from './lib/config/runtime-config';
import { newNonce, securityHeaders, servedOverTls } from './lib/security/security-headers';

/**
 * Hardening headers on every response, with a fresh CSP nonce: Next.js reads the nonce from the
 * request's Content-Security-Policy and puts it on the scripts it renders (App Router pages are
 * rendered per request; the root layout awaits connection()).
 */
export function proxy(request: NextRequest): NextResponse {
  const headers = securityHeaders({
    nonce: newNonce(),
    publicGatewayUrl: runtimeConfig().publicGatewayUrl,
    https: servedOverTls(request.nextUrl, request.headers.get('x-forwarded-proto')),
    dev: process.env.NODE_ENV === 'development',
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', headers['content-security-policy']!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(headers)) {
    response.headers.set(name, value);
  }
  return response;
}
