import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** The headers of a Standard Webhooks request (https://www.standardwebhooks.com). */
export type WebhookHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

const SECRET_PREFIX = 'whsec_';
const SECRET_BYTES = 32;

/** A new signing secret in the Standard Webhooks format: `whsec_` and 32 random bytes in base64. */
export const newWebhookSecret = (): string =>
  `${SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64')}`;

export const isWebhookSecret = (value: string): boolean =>
  value.startsWith(SECRET_PREFIX) &&
  Buffer.from(value.slice(SECRET_PREFIX.length), 'base64').length >= 24;

/**
 * Signs one request. `id` names the message: the same on every retry, so a receiver can drop a
 * repeat; `timestamp` is when this attempt is sent (receivers refuse stale ones).
 */
export function signWebhook(message: {
  secret: string;
  id: string;
  timestamp: Date;
  body: string;
}): WebhookHeaders {
  const signature = new Webhook(message.secret).sign(message.id, message.timestamp, message.body);
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
