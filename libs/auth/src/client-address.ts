import { AppError } from '@mission-control/errors';
import { type HopToken, signHop, verifyHop } from './signed-hop';

// Also `@mission-control/auth/client-address`: the web server signs with this alone, without Nest.
export { MIN_INTERNAL_SECRET_LENGTH } from './signed-hop';

/**
 * The browser's address, vouched for by the web server that calls the gateway on its behalf
 * (log-in, sign-up, refresh): without it every browser would share the web server's address and
 * one person's failed logins would throttle everyone. Signed with a secret only the web server
 * and the gateway hold, so a direct caller cannot claim an address it does not have.
 */
export const CLIENT_ADDRESS_HEADER = 'x-mc-client-address';

const CLIENT_TOKEN: HopToken = {
  type: 'mc-client+jwt',
  issuer: 'mission-control-web',
  audience: 'mission-control-gateway',
  name: 'client address',
};

export function signClientAddress(
  address: string,
  secret: string,
  options: { ttlSeconds?: number } = {},
): Promise<string> {
  return signHop(CLIENT_TOKEN, { addr: address }, secret, options.ttlSeconds);
}

export async function verifyClientAddress(value: string, secret: string): Promise<string> {
  const payload = await verifyHop(CLIENT_TOKEN, value, secret, ['addr']);
  const { addr } = payload;
  if (typeof addr !== 'string' || addr.length === 0 || addr.length > 100) {
    throw AppError.unauthenticated(`Invalid ${CLIENT_TOKEN.name}`);
  }
  return addr;
}
