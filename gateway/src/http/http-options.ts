import type { HttpOptions } from '@mission-control/platform';
import type { GatewayConfig } from '../gateway.config';

/** The gateway's HTTP layer: the proxies it believes, and the browsers that may call it. */
export const gatewayHttpOptions = (config: GatewayConfig): HttpOptions => ({
  trustProxy: config.TRUST_PROXY_HOPS,
  // The web app calls the graph from the browser with a bearer token: no cookies cross origins.
  cors: {
    origin: config.CORS_ORIGINS,
    methods: ['GET', 'POST', 'OPTIONS'],
    // mcp-*: what MCP clients send to /mcp (a browser-based one, such as an inspector, included).
    allowedHeaders: [
      'authorization',
      'content-type',
      'x-request-id',
      'idempotency-key',
      'mcp-protocol-version',
      'mcp-session-id',
    ],
    exposedHeaders: ['x-request-id', 'retry-after', 'mcp-session-id'],
    maxAge: 600,
  },
});
