import { BlockList, isIP } from 'node:net';

/** Where a webhook may be sent: `allowPrivate` admits loopback and private networks (dev, tests). */
export type WebhookTargetPolicy = { allowPrivate: boolean; maxLength?: number };

export const DEFAULT_MAX_URL_LENGTH = 2_048;

// Addresses that are not the public internet: loopback, private and link-local networks, carrier
// NAT, benchmarking, documentation, multicast and reserved ranges (cloud metadata included).
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** The IPv4 address an IPv6 address carries (`::ffff:10.0.0.1`), if it carries one. */
function embeddedIpv4(address: string): string | null {
  const match = /^::ffff:(?:0:)?(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (match?.[1]) {
    return match[1];
  }
  const hex = /^::ffff:(?:0:)?([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

/** Whether an IP address is loopback, private, link-local or otherwise not on the internet. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare);
  if (family === 4) {
    return NOT_PUBLIC.check(bare, 'ipv4');
  }
  if (family === 6) {
    const v4 = embeddedIpv4(bare);
    return v4 ? NOT_PUBLIC.check(v4, 'ipv4') : NOT_PUBLIC.check(bare, 'ipv6');
  }
  return false;
}

const LOCAL_NAMES = /(^|\.)(localhost|local|internal|localdomain|home\.arpa)$/i;

/**
 * What is wrong with a webhook URL, as a sentence for the person who typed it, or null when it may
 * be used. Checks the text only; the addresses a name resolves to are checked when connecting.
 */
export function webhookUrlProblem(url: string, policy: WebhookTargetPolicy): string | null {
  const maxLength = policy.maxLength ?? DEFAULT_MAX_URL_LENGTH;
  if (url.length > maxLength) {
    return `must be at most ${maxLength} characters`;
  }
  // The URL parser would drop tabs and line breaks silently: the URL must be what was typed.
  if ([...url].some((char) => /\s/.test(char) || char.charCodeAt(0) < 0x20 || char === '\u007f')) {
    return 'must not contain spaces or control characters';
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL such as https://agents.example.com/wake';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return 'must start with https:// or http://';
  }
  if (parsed.username || parsed.password) {
    return 'must not contain a user name or password; put a token in the path or query instead';
  }
  if (parsed.hash) {
    return 'must not contain a #fragment';
  }
  const host = parsed.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (!host) {
    return 'must name a host';
  }
  if (!policy.allowPrivate && (isPrivateAddress(host) || LOCAL_NAMES.test(host))) {
    return 'must point to a public address, not a loopback, private or link-local one';
  }
  return null;
}
