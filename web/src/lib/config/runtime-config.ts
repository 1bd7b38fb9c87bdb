/** Where the gateway is, read when the server runs (never baked into the build). */
export type RuntimeConfig = {
  /** Server → gateway, for the session routes. */
  gatewayUrl: string;
  /** Browser → gateway, for GraphQL and live push. */
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

/** Validates GATEWAY_URL and PUBLIC_GATEWAY_URL, naming the bad key. */
export function parseRuntimeConfig(env: Record<string, string | undefined>): RuntimeConfig {
  const gatewayUrl = httpOrigin('GATEWAY_URL', env.GATEWAY_URL?.trim() || DEFAULT_GATEWAY_URL);
  const publicGatewayUrl = httpOrigin(
    'PUBLIC_GATEWAY_URL',
    env.PUBLIC_GATEWAY_URL?.trim() || gatewayUrl,
  );
  return { gatewayUrl, publicGatewayUrl };
}

let cached: RuntimeConfig | undefined;

/** The server's configuration, validated on first use at run time. */
export function runtimeConfig(): RuntimeConfig {
  cached ??= parseRuntimeConfig(process.env);
  return cached;
}
