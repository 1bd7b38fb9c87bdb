/** What the policy depends on for one response. */
export type SecurityContext = {
  /** Fresh for every response; Next.js reads it back from the request's CSP and puts it on its scripts. */
  nonce: string;
  /** Where the browser sends GraphQL and live push; '' when the gateway shares the page's origin. */
  publicGatewayUrl: string;
  /** Whether the browser reached us over TLS (directly or through a proxy that says so). */
  https: boolean;
  /** `next dev`: React needs eval for its error overlay, and dev styles are injected inline. */
  dev: boolean;
};

/** The gateway's http(s) origin and the ws(s) origin socket.io upgrades to. */
function gatewaySources(publicGatewayUrl: string): string[] {
  if (!publicGatewayUrl) {
    // 'self' covers the page's own ws:/wss: origin too (CSP 3).
    return [];
  }
  const { origin, protocol } = new URL(publicGatewayUrl);
  const ws = `${protocol === 'https:' ? 'wss:' : 'ws:'}${origin.slice(protocol.length)}`;
  return [origin, ws];
}

/** The Content-Security-Policy of a page: scripts and styles only from us or carrying the nonce. */
export function contentSecurityPolicy(context: SecurityContext): string {
  const nonce = `'nonce-${context.nonce}'`;
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    // 'strict-dynamic': chunks loaded by a nonced script are trusted; nothing inline is.
    ['script-src', "'self'", nonce, "'strict-dynamic'", ...(context.dev ? ["'unsafe-eval'"] : [])],
    ['style-src', "'self'", ...(context.dev ? ["'unsafe-inline'"] : [nonce])],
    ['img-src', "'self'", 'data:', 'blob:'],
    ['font-src', "'self'"],
    ['connect-src', "'self'", ...gatewaySources(context.publicGatewayUrl)],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'"],
    ['frame-ancestors', "'none'"],
    ...(context.https ? [['upgrade-insecure-requests'] as [string]] : []),
  ];
  return directives.map((directive) => directive.join(' ')).join('; ');
}

/** Every hardening header of a response, the CSP included. */
export function securityHeaders(context: SecurityContext): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(context),
    'x-content-type-options': 'nosniff',
    // For browsers without frame-ancestors.
    'x-frame-options': 'DENY',
    'referrer-policy': 'strict-origin-when-cross-origin',
    'permissions-policy':
      'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
    'cross-origin-opener-policy': 'same-origin',
    // Over plain http the header is ignored by browsers and would pin localhost to https.
    ...(context.https
      ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' }
      : {}),
  };
}

/** Whether the request came over TLS: the URL says so, or the proxy in front of us does. */
export function servedOverTls(url: URL, forwardedProto: string | null): boolean {
  const first = forwardedProto?.split(',')[0]?.trim().toLowerCase();
  return url.protocol === 'https:' || first === 'https';
}

/** 128 random bits, base64: unguessable and fresh for every response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
