/** Where the gateway is, read when the server runs (never baked into the build). */
export type RuntimeConfig = {
  /** Server → gateway, for the session routes. */
  gatewayUrl: string;
  /** Browser → gateway, for GraphQL and live push; '' when the gateway shares the app's origin. */
  publicGatewayUrl: string;
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
 * Validates GATEWAY_URL and PUBLIC_GATEWAY_URL, naming the bad key. PUBLIC_GATEWAY_URL=/ means the
 * gateway answers on the app's own origin (standalone mode serves both from one port), so the
 * browser calls /graphql and /socket.io wherever the page came from.
 */
export function parseRuntimeConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const gatewayUrl = httpOrigin('GATEWAY_URL', env.GATEWAY_URL?.trim() || DEFAULT_GATEWAY_URL);
  const publicValue = env.PUBLIC_GATEWAY_URL?.trim() || gatewayUrl;
  const publicGatewayUrl = publicValue === '/' ? '' : httpOrigin('PUBLIC_GATEWAY_URL', publicValue);
  return { gatewayUrl, publicGatewayUrl };
}

let cached: RuntimeConfig | undefined;

/** The server's configuration, validated on first use at run time. */
export function runtimeConfig(): RuntimeConfig {
  cached ??= parseRuntimeConfig(process.env);
  return cached;
}
