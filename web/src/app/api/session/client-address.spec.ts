import { CLIENT_ADDRESS_HEADER, verifyClientAddress } from '@mission-control/auth/client-address';
import { browserAddress, clientAddressHeaders } from './client-address';

const secret = 'shared-by-the-web-server-and-gateway-0123';

describe('browserAddress', () => {
  it('takes the peer Next reports when nothing stands in front', () => {
    expect(browserAddress('203.0.113.7', 0)).toBe('203.0.113.7');
  });

  it('skips the proxies it trusts and no more: entries left of them are the client’s word', () => {
    const chain = '10.9.9.9, 198.51.100.4, 10.0.0.2';
    expect(browserAddress(chain, 1)).toBe('10.0.0.2');
    expect(browserAddress(chain, 2)).toBe('198.51.100.4');
    expect(browserAddress(chain, 9)).toBe('10.9.9.9');
  });

  it('knows no address without a header', () => {
    expect(browserAddress(null, 1)).toBeNull();
    expect(browserAddress(' , ', 1)).toBeNull();
  });
});

describe('clientAddressHeaders', () => {
  it('signs the browser’s address so the gateway believes it', async () => {
    const headers = new Headers({ 'x-forwarded-for': '192.0.2.1, 203.0.113.9' });
    const signed = await clientAddressHeaders(headers, {
      clientAddressSecret: secret,
      trustProxyHops: 1,
    });
    expect(await verifyClientAddress(signed[CLIENT_ADDRESS_HEADER]!, secret)).toBe('203.0.113.9');
  });

  it('vouches for nothing without a secret', async () => {
    const headers = new Headers({ 'x-forwarded-for': '203.0.113.9' });
    expect(await clientAddressHeaders(headers, { trustProxyHops: 0 })).toEqual({});
  });
});
