import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { isPrivateAddress, webhookUrlProblem } from './webhook-target';

/** How one attempt ended, as the retry schedule needs it. */
export type SendOutcome =
  | { kind: 'response'; status: number; retryAfterMs: number | null }
  | { kind: 'timeout'; timeoutMs: number }
  | { kind: 'network-error'; message: string }
  /** Refused before connecting: the URL or an address it resolved to is not allowed. */
  | { kind: 'blocked'; message: string };

export type WebhookRequest = {
  url: string;
  /** The JSON text that was signed; sent byte for byte. */
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  allowPrivate: boolean;
  userAgent?: string;
  /** Name resolution (node:dns `lookup` unless a test gives another). */
  resolve?: typeof dnsLookup;
};

class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
}

/** Resolves as usual, then refuses private addresses: a public name cannot be pointed inside. */
const guardedLookup =
  (resolve: typeof dnsLookup): LookupFunction =>
  (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) {
        callback(error, '', 0);
        return;
      }
      const allowed = addresses.filter((entry) => !isPrivateAddress(entry.address));
      if (allowed.length === 0) {
        callback(
          new BlockedAddressError(
            `${hostname} resolves to a loopback, private or link-local address`,
          ),
          '',
          0,
        );
        return;
      }
      if (options.all) {
        (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
      } else {
        const first = allowed[0]!;
        callback(null, first.address, first.family);
      }
    });
  };

/** `Retry-After` in milliseconds (seconds or an HTTP date), if the receiver sent one. */
export function retryAfterMs(value: string | undefined, now = Date.now()): number | null {
  if (!value) {
    return null;
  }
  if (/^\d+$/.test(value.trim())) {
    return Number(value.trim()) * 1_000;
  }
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * POSTs one webhook: no redirects followed, the response read (at most 64 KiB) and dropped, the
 * whole attempt bounded by `timeoutMs`. Unless `allowPrivate`, refuses URLs and resolved addresses
 * that are not public (so a webhook cannot reach the server's own network). Never throws.
 */
export function sendWebhook(request: WebhookRequest): Promise<SendOutcome> {
  const problem = webhookUrlProblem(request.url, { allowPrivate: request.allowPrivate });
  if (problem) {
    return Promise.resolve({ kind: 'blocked', message: `The URL ${problem}` });
  }
  const url = new URL(request.url);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (!request.allowPrivate && isIP(literal) && isPrivateAddress(literal)) {
    return Promise.resolve({ kind: 'blocked', message: `${literal} is not a public address` });
  }
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<SendOutcome>((resolve) => {
    let settled = false;
    const settle = (outcome: SendOutcome) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        resolve(outcome);
      }
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(request.body)),
          'user-agent': request.userAgent ?? 'mission-control-webhooks',
          ...request.headers,
        },
        ...(request.allowPrivate ? {} : { lookup: guardedLookup(request.resolve ?? dnsLookup) }),
        agent: false,
      },
      (res) => {
        let received = 0;
        res.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            res.destroy();
          }
        });
        const done = () =>
          settle({
            kind: 'response',
            status: res.statusCode ?? 0,
            retryAfterMs: retryAfterMs(res.headers['retry-after']),
          });
        res.on('end', done);
        res.on('close', done);
        res.on('error', done);
      },
    );
    const timer = setTimeout(() => {
      settle({ kind: 'timeout', timeoutMs: request.timeoutMs });
      req.destroy();
    }, request.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof BlockedAddressError || error.name === 'BlockedAddressError') {
        settle({ kind: 'blocked', message: error.message });
      } else {
        settle({ kind: 'network-error', message: describeNetworkError(error) });
      }
    });
    req.end(request.body);
  });
}

function describeNetworkError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return error.code ? `${error.code}: ${error.message}` : error.message;
  }
}
