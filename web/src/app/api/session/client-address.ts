import { CLIENT_ADDRESS_HEADER, signClientAddress } from '@mission-control/auth/client-address';

/**
 * The browser's address as this server can know it. Next puts the socket peer into
 * X-Forwarded-For only when the request has none, so the list ends with the nearest hop: behind
 * `trustedHops` proxies, each appending its peer, the client is that many entries from the right.
 * With none, the right-most entry is the peer, or a direct caller's own claim: put this server
 * behind a proxy (and set TRUST_PROXY_HOPS) where per-address limits matter.
 */
export function browserAddress(forwardedFor: string | null, trustedHops: number): string | null {
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter((hop) => hop.length > 0 && hop.length <= 100);
  if (hops.length === 0) {
    return null;
  }
  return hops[Math.max(0, hops.length - Math.max(1, trustedHops))]!;
}

/** The signed header vouching for the browser's address to the gateway; none without a secret. */
export async function clientAddressHeaders(
  headers: Headers,
  config: { clientAddressSecret?: string; trustProxyHops: number },
): Promise<Record<string, string>> {
  const address = browserAddress(headers.get('x-forwarded-for'), config.trustProxyHops);
  if (config.clientAddressSecret === undefined || address === null) {
    return {};
  }
  return {
    [CLIENT_ADDRESS_HEADER]: await signClientAddress(address, config.clientAddressSecret),
  };
}
