import { parseRuntimeConfig } from './runtime-config';

describe('parseRuntimeConfig', () => {
  it('defaults to a local gateway, used by the browser too', () => {
    expect(parseRuntimeConfig({})).toEqual({
      gatewayUrl: 'http://127.0.0.1:4000',
      publicGatewayUrl: 'http://127.0.0.1:4000',
      trustProxyHops: 0,
    });
  });

  it('lets the browser reach the gateway elsewhere, without trailing slashes', () => {
    expect(
      parseRuntimeConfig({
        GATEWAY_URL: 'http://gateway:4000/',
        PUBLIC_GATEWAY_URL: 'https://api.example.test/',
      }),
    ).toMatchObject({
      gatewayUrl: 'http://gateway:4000',
      publicGatewayUrl: 'https://api.example.test',
    });
  });

  it('lets the browser call the gateway on the page’s own origin', () => {
    expect(
      parseRuntimeConfig({ GATEWAY_URL: 'http://127.0.0.1:3000', PUBLIC_GATEWAY_URL: '/' }),
    ).toMatchObject({ gatewayUrl: 'http://127.0.0.1:3000', publicGatewayUrl: '' });
  });

  it('names the bad key', () => {
    expect(() => parseRuntimeConfig({ PUBLIC_GATEWAY_URL: 'gateway:4000' })).toThrow(
      /PUBLIC_GATEWAY_URL/,
    );
    expect(() => parseRuntimeConfig({ GATEWAY_URL: 'not a url' })).toThrow(/GATEWAY_URL/);
  });

  it('takes the secret that signs browser addresses, refusing a short one', () => {
    const secret = 'shared-with-the-gateway-only-0123456789';
    expect(
      parseRuntimeConfig({ CLIENT_ADDRESS_SECRET: secret, TRUST_PROXY_HOPS: '1' }),
    ).toMatchObject({ clientAddressSecret: secret, trustProxyHops: 1 });
    expect(() => parseRuntimeConfig({ CLIENT_ADDRESS_SECRET: 'short' })).toThrow(
      /CLIENT_ADDRESS_SECRET/,
    );
    expect(() => parseRuntimeConfig({ TRUST_PROXY_HOPS: 'all' })).toThrow(/TRUST_PROXY_HOPS/);
  });
});
