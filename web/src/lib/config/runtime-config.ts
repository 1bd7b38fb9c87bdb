import { MIN_INTERNAL_SECRET_LENGTH } from '@mission-control/auth/client-address';

/** Where the gateway is, read when the server runs (never baked into the build). */
export type RuntimeConfig = {
  /** Server → gateway, for the session routes. */
  gatewayUrl: string;
  /** Browser → gateway, for GraphQL and live push; '' when the gateway shares the app's origin. */
  publicGatewayUrl: string;
  /**
   * Server only, never handed to a page: signs the browser's address for the gateway (shared
   * with its CLIENT_ADDRESS_SECRET), so login limits count browsers, not this server. Unset: the
   * gateway sees every session call as coming from this server.
   */
  clientAddressSecret?: string;
  /** Proxies in front of this server whose X-Forwarded-For entry is believed, as the gateway's. */
  trustProxyHops: number;
};

const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:4000';

function httpOrigin(key: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`Invalid configuration: ${key} must be an http(s) URL, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Invalid configuration: ${key} must be an http(s) URL, got "${value}"`);
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * Validates GATEWAY_URL, PUBLIC_GATEWAY_URL, CLIENT_ADDRESS_SECRET and TRUST_PROXY_HOPS, naming the bad key. PUBLIC_GATEWAY_URL=/ means the
 * gateway answers on the app's own origin (standalone mode serves both from one port), so the
 * browser calls /graphql and /socket.io wherever the page came from.
 */
export function parseRuntimeConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const gatewayUrl = httpOrigin('GATEWAY_URL', env.GATEWAY_URL?.trim() || DEFAULT_GATEWAY_URL);
  const publicValue = env.PUBLIC_GATEWAY_URL?.trim() || gatewayUrl;
  const publicGatewayUrl = publicValue === '/' ? '' : httpOrigin('PUBLIC_GATEWAY_URL', publicValue);
  const clientAddressSecret = env.CLIENT_ADDRESS_SECRET?.trim() || undefined;
  if (
    clientAddressSecret !== undefined &&
    clientAddressSecret.length < MIN_INTERNAL_SECRET_LENGTH
  ) {
    throw new Error(
      `Invalid configuration: CLIENT_ADDRESS_SECRET must be at least ${MIN_INTERNAL_SECRET_LENGTH} characters`,
    );
  }
  const hops = env.TRUST_PROXY_HOPS?.trim() || '0';
  if (!/^\d{1,2}$/.test(hops) || Number(hops) > 10) {
    throw new Error(
      `Invalid configuration: TRUST_PROXY_HOPS must be a whole number from 0 to 10, got "${hops}"`,
    );
  }
  return {
    gatewayUrl,
    publicGatewayUrl,
    ...(clientAddressSecret ? { clientAddressSecret } : {}),
    trustProxyHops: Number(hops),
  };
}

let cached: RuntimeConfig | undefined;

/** The server's configuration, validated on first use at run time. */
export function runtimeConfig(): RuntimeConfig {
  cached ??= parseRuntimeConfig(process.env);
  return cached;
}
